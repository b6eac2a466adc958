// How benchmark names split into an operation and its parameters, and which
// raw floor (or in-process reference) each benchmark is compared with.

import Foundation

/// Splits benchmark names such as `BFV multiply+relinearize N=8192 logq=218`
/// into the operation (`BFV multiply+relinearize`) and the parameters
/// (`N=8192 logq=218`).
public enum BenchmarkName {
  /// Whether a word is a parameter wherever it stands: `N=8192`, `logq=218`,
  /// `q=60b`, or an NTT kernel's name.
  static func isParameter(_ word: Substring) -> Bool {
    if word == "scalar" || word == "simd8" { return true }
    if word.hasPrefix("N="), Int(word.dropFirst(2)) != nil { return true }
    if word.hasPrefix("logq="), Int(word.dropFirst(5)) != nil { return true }
    if word.hasPrefix("q="), word.hasSuffix("b"), Int(word.dropFirst(2).dropLast()) != nil { return true }
    return false
  }

  /// Whether a word is a size in bits (`3072b`): a parameter when it ends the name.
  static func isBits(_ word: Substring) -> Bool {
    word.hasSuffix("b") && Int(word.dropLast()) != nil
  }

  /// The operation and the parameters of a benchmark name, each in the order of the name.
  public static func split(_ name: String) -> (operation: String, parameters: String) {
    let words = name.split(separator: " ")
    var operation: [Substring] = []
    var parameters: [Substring] = []
    for (index, word) in words.enumerated() {
      let trailing = index == words.count - 1 && index > 0 && isBits(word)
      if trailing || isParameter(word) { parameters.append(word) } else { operation.append(word) }
    }
    return (operation.joined(separator: " "), parameters.joined(separator: " "))
  }

  /// The first `N=` or bits value of the parameters, as a number (the x of a scaling curve).
  public static func size(of parameters: String) -> Int? {
    for word in parameters.split(separator: " ") {
      if word.hasPrefix("N="), let n = Int(word.dropFirst(2)) { return n }
      if isBits(word), let bits = Int(word.dropLast()) { return bits }
    }
    return nil
  }
}

/// A benchmark name pattern and what it is compared with. `$1` in the
/// reference's operation or parameters stands for the pattern's first group.
public struct FloorRule: Sendable {
  /// Where the reference comes from.
  public enum Source: Sendable, Equatable {
    /// A raw-floor program's row (`gmp_floor`, `paillier_floor`, `ntl_floor`).
    case floor(program: String, operation: String, parameters: String)
    /// Another benchmark of the same suite and build (`$1` allowed in the name).
    case benchmark(name: String)
  }
  public var pattern: String
  public var source: Source

  public init(_ pattern: String, _ source: Source) {
    self.pattern = pattern
    self.source = source
  }
}

/// The comparisons the report makes.
public enum FloorRules {
  /// Every rule, first match wins; in-process references come before the
  /// standalone floors they duplicate.
  public static let all: [FloorRule] = [
    // BigNum against raw/gmp_floor.c: the same GMP calls, same input sizes.
    FloorRule("^BigNum power (\\d+)b$", .floor(program: "gmp_floor", operation: "power", parameters: "$1b")),
    FloorRule("^BigNum power in place (\\d+)b$", .floor(program: "gmp_floor", operation: "power in place", parameters: "$1b")),
    FloorRule(
      "^BigNum constant-time power (\\d+)b$",
      .floor(program: "gmp_floor", operation: "constant-time power", parameters: "$1b")),
    FloorRule(
      "^BigNum product mod n\\^2 (\\d+)b$", .floor(program: "gmp_floor", operation: "product mod n^2", parameters: "$1b")),
    FloorRule("^BigNum inverse mod n (\\d+)b$", .floor(program: "gmp_floor", operation: "inverse mod n", parameters: "$1b")),
    // Paillier against raw/paillier_floor.c: the same methods on plain GMP.
    FloorRule(
      "^Paillier encrypt djn (\\d+)b$",
      .floor(program: "paillier_floor", operation: "DJN encryption (mpn table)", parameters: "$1b")),
    FloorRule(
      "^Paillier DJN obfuscator h_s\\^alpha (\\d+)b$",
      .floor(program: "paillier_floor", operation: "DJN h_s^alpha, table w=8 (mpn)", parameters: "$1b")),
    FloorRule(
      "^Paillier decrypt \\(CRT\\) (\\d+)b$",
      .floor(program: "paillier_floor", operation: "CRT decryption (powm_sec)", parameters: "$1b")),
    FloorRule(
      "^Paillier encrypt standard (\\d+)b$",
      .floor(program: "paillier_floor", operation: "r^n mod n^2 (mpz_powm_sec)", parameters: "$1b")),
    FloorRule(
      "^Paillier (?:30 separate products|dot product 30 terms) 64b weights (\\d+)b$",
      .floor(program: "paillier_floor", operation: "30 separate powers, 64-bit k (mpz_powm)", parameters: "$1b")),
    // PolyRing against NTL's best case: one of NTL's own 60-bit FFT primes, where
    // its product needs a single modular FFT per operand (with PolyRing's prime,
    // NTL runs a CRT over several FFT primes and was 3-6x slower here, so that
    // comparison would flatter PolyRing). First NTL in the same process (same
    // inputs), then the standalone floor; never NTL's same-prime rows.
    FloorRule(
      "^Negacyclic product (?:in place )?N=(\\d+) q=60b", .benchmark(name: "NTL zz_pX negacyclic product N=$1 q=60b FFT prime")),
    FloorRule("^NTT forward N=(\\d+) q=60b", .benchmark(name: "NTL zz_pX forward transform N=$1 q=60b FFT prime")),
    FloorRule(
      "^Negacyclic product (?:in place )?N=(\\d+) q=60b",
      .floor(program: "ntl_floor", operation: "NTL zz_pX negacyclic product, FFT prime", parameters: "N=$1")),
    FloorRule(
      "^NTT forward N=(\\d+) q=60b",
      .floor(program: "ntl_floor", operation: "NTL zz_pX forward transform (TofftRep), FFT prime", parameters: "N=$1")),
  ]

  /// The reference of `result` under the first rule that matches it and whose
  /// reference exists in `report`.
  public static func reference(for result: BenchReport.Result, in report: BenchReport, rules: [FloorRule] = all)
    -> BenchReport.Reference?
  {
    let name = result.name
    let range = NSRange(name.startIndex..., in: name)
    for rule in rules {
      guard let regex = try? NSRegularExpression(pattern: rule.pattern),
        let match = regex.firstMatch(in: name, range: range)
      else { continue }
      func fill(_ template: String) -> String {
        regex.replacementString(for: match, in: name, offset: 0, template: template)
      }
      switch rule.source {
      case .floor(let program, let operation, let parameters):
        let op = fill(operation)
        let params = fill(parameters)
        if let floor = report.floors.first(where: { $0.program == program && $0.operation == op && $0.parameters == params }) {
          return .init(source: program, name: "\(op) \(params)", median: floor.median, min: floor.min)
        }
      case .benchmark(let template):
        let other = fill(template)
        if let match = report.results.first(where: {
          $0.name == other && $0.suite == result.suite && $0.build == result.build
        }) {
          return .init(source: match.suite, name: other, median: match.median, min: match.min)
        }
      }
    }
    return nil
  }
}
