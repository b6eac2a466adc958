import BFV
import BigNum
import Crypto
import Foundation
import StrictJSON

// The BFV files of the `hekit` command line, public so that other programs
// (and the fuzz targets) read them with the same checks. All are line-oriented text: a JSON
// header line, then base64 lines of HEKit's bit-packed binary objects
// (Sources/BFV/BFV+Serialization.swift), so that every file streams and a
// reader can tell what it holds from its first line.
//
//   NAME.pub   {"format": "hekit-bfv-public-key", ...}   then K lines: public key for t_i
//   NAME.key   {"format": "hekit-bfv-secret-key", ...}   then K lines: secret key for t_i (mode 0600)
//   records    {"format": "hekit-bfv-records", ...}      then one line per batch of up to N records, then the trailer
//   scores     {"format": "hekit-bfv-scores", ...}       then one line per batch of scores, then the trailer
//
// Every header names the key (`key`: the first 16 bytes of SHA-256 over the
// K serialized public keys, in hex) and the parameters (`degree`,
// `coefficientModuli`, `plaintextModuli`): one BFV parameter set per
// plaintext modulus t_i, same ring and q. Key files are version 1; batch
// files version 2 (version 1 had no trailer and no line binding, and is
// refused). A batch line is the base64 of
//
//   "HEKL" | u8 version 2 | u8 content (1 records, 2 scores) | u16 K
//   u32 count (records in the batch, 1...N) | u32 d (values per modulus)
//   16 bytes binding: SHA-256 of the header (as BFVFileHeader.line() writes it), first 16 bytes
//   K·d × (u32 length | serialized BFV ciphertext), modulus-major
//
// (integers little-endian); each ciphertext carries its own parameter
// identity, checked when it is read. The last line of a batch file is its
// trailer, {"trailer": "hekit-bfv-records", "records": R, "lines": L}
// (BFVFileTrailer), so that a file cut at a line boundary is refused.

/// The BFV parameters of a key set: one parameter set per plaintext modulus
/// t_i, all of one ring degree and one q.
public struct BFVParameterSpec: Codable, Equatable, Sendable {
  /// N, the ring degree.
  public var degree: Int
  /// The primes of q.
  public var coefficientModuli: [UInt64]
  /// The plaintext moduli t_i, one BFV parameter set each.
  public var plaintextModuli: [UInt64]

  /// The parameters as given (checked by ``build(file:)``, not here).
  public init(degree: Int, coefficientModuli: [UInt64], plaintextModuli: [UInt64]) {
    self.degree = degree
    self.coefficientModuli = coefficientModuli
    self.plaintextModuli = plaintextModuli
  }
  /// The key set of a preset's ring and q with `moduli` batching primes of
  /// `bitWidth` bits (the largest ones) as plaintext moduli.
  /// - Parameters:
  ///   - preset: the ring degree and coefficient modulus.
  ///   - moduli: the number of plaintext moduli (default 3, a CRT space of
  ///     about 89 bits at 30 bits each).
  ///   - bitWidth: their width; nil for 24 bits at N = 4096, 30 otherwise.
  /// - Throws: ``FormatError/malformed(file:reason:)`` when there are fewer such primes; `BFVError`.
  public init(preset: BFV.Preset, moduli: Int = 3, bitWidth: Int? = nil) throws {
    let bits = bitWidth ?? (preset == .n4096 ? 24 : 30)
    let primes = BFV.PlaintextCRT.batchingPrimes(bitWidth: bits, degree: preset.degree, atMost: moduli)
    guard primes.count == moduli else {
      throw FormatError.malformed(
        file: "the key parameters",
        reason: "there are only \(primes.count) batching primes of \(bits) bits for N = \(preset.degree): use wider moduli")
    }
    let base = try BFV.Parameters(preset: preset)
    self.init(degree: preset.degree, coefficientModuli: base.coefficientModuli, plaintextModuli: primes)
  }


  /// The most plaintext moduli, and bits of their product: CRT values stay in UInt128.
  public static let maximumModuli = BFVBatchLine.maximumModuli
  /// The most bits of ∏ t_i.
  public static let maximumPlaintextBits = 124

  /// Builds (and checks: 128-bit security, batching, distinct primes) the
  /// parameter sets.
  /// - Parameter file: the file the parameters came from, for messages.
  /// - Throws: ``FormatError/malformed(file:reason:)`` naming the fault.
  public func build(file: String) throws(FormatError) -> [BFV.Parameters] {
    func fail(_ reason: String) -> FormatError { .malformed(file: file, reason: reason) }
    guard (1...Self.maximumModuli).contains(plaintextModuli.count) else {
      throw fail("\(plaintextModuli.count) plaintext moduli (1 to \(Self.maximumModuli) expected)")
    }
    guard Set(plaintextModuli).count == plaintextModuli.count, plaintextModuli.allSatisfy({ $0 < 1 << 31 }) else {
      throw fail("the plaintext moduli must be distinct and below 2^31")
    }
    guard plaintextBits <= Self.maximumPlaintextBits else {
      throw fail("the plaintext moduli hold \(plaintextBits) bits (at most \(Self.maximumPlaintextBits))")
    }
    var sets: [BFV.Parameters] = []
    for t in plaintextModuli {
      let p: BFV.Parameters
      do { p = try BFV.Parameters(degree: degree, coefficientModuli: coefficientModuli, plaintextModulus: t) } catch {
        throw fail(error.description)
      }
      guard p.supportsBatching else { throw fail("plaintext modulus \(t) does not batch (a prime ≡ 1 mod \(2 * degree))") }
      sets.append(p)
    }
    return sets
  }

  /// ⌊log2 ∏ t_i⌋ (0 when the product would not fit 128 bits).
  public var plaintextBits: Int {
    var product: UInt128 = 1
    for t in plaintextModuli {
      let (next, overflow) = product.multipliedReportingOverflow(by: UInt128(t))
      if overflow || t == 0 { return 0 }
      product = next
    }
    return 127 - product.leadingZeroBitCount
  }

  /// ⌈log2 q⌉.
  public var logQ: Int {
    var bits = 0.0
    for q in coefficientModuli { bits += log2(Double(q)) }
    return Int(bits.rounded(.up))
  }
}

/// The header line of any BFV file of the command line: a JSON object naming
/// the format, the key identity and the parameters, then the fields of its
/// kind. Fields not used by a kind are absent from its files.
public struct BFVFileHeader: Codable, Equatable, Sendable {
  /// `NAME.pub` of `hekit keygen --scheme bfv`.
  public static let publicKeyFormat = "hekit-bfv-public-key"
  /// `NAME.key` (mode 0600).
  public static let secretKeyFormat = "hekit-bfv-secret-key"
  /// Encrypted records, one batch per line.
  public static let recordsFormat = "hekit-bfv-records"
  /// Encrypted scores, one batch per line.
  public static let scoresFormat = "hekit-bfv-scores"
  /// Every format this version reads.
  public static let formats = [publicKeyFormat, secretKeyFormat, recordsFormat, scoresFormat]
  /// The version of key files.
  public static let keyVersion = 1
  /// The version of batch files (records, scores): 2 adds the trailer and
  /// the binding of every line to its header.
  public static let batchVersion = 2

  /// The version this build writes and reads for `format`.
  public static func version(of format: String) -> Int {
    format == recordsFormat || format == scoresFormat ? batchVersion : keyVersion
  }

  /// One of ``formats``.
  public var format: String
  /// The header version: ``keyVersion`` for key files, ``batchVersion`` for batch files.
  public var version: Int
  /// The key identity: 32 hex digits (``BFVKeyFile/identity(of:)``).
  public var key: String
  /// N, the ring degree.
  public var degree: Int
  /// The primes of q.
  public var coefficientModuli: [UInt64]
  /// The plaintext moduli t_i.
  public var plaintextModuli: [UInt64]
  /// Key files: a comment of the key holder's.
  public var comment: String?
  /// Records: `public-key` or `secret-key` encryption.
  public var encryption: String?
  /// Records: the fixed-point precision the client used, in bits.
  public var precisionBits: Int?
  /// Records: the CSV columns, in order (absent when the input had no names).
  public var columns: [String]?
  /// Records: each column's fixed-point exponent (a value v is encoded as v · 2^-e).
  public var exponents: [Int]?
  /// Records: each column's declared range `[low, high]`.
  public var ranges: [[Double]]?
  /// Scores: the model kind (`linear` or `logistic`).
  public var model: String?
  /// Scores: a logistic model's probability threshold.
  public var threshold: Double?
  /// Scores: the model's feature count.
  public var features: Int?
  /// Scores: the fraction bits of the fixed-point score.
  public var fractionBits: Int?
  /// Scores: the plaintext bits the scores need.
  public var requiredBits: Int?
  /// Scores: the bound on the error of a decrypted logit (logistic) or score (linear).
  public var errorBound: Double?
  /// Scores: the bits of noise flooding added before the scores left the server.
  public var floodingBits: Int?
  /// Scores: what a scores file reveals per record: `label` (blinded sign: the
  /// label only), or the logit when absent.
  public var reveal: String?
  /// Scores with `reveal` `label`: blinding factors were drawn from [2^(k−1), 2^k).
  public var blindingBits: Int?
  /// Batch files split by ``BatchShards``: the shard's place in its source
  /// (``BatchShard/text``); not part of ``binding()``.
  public var shard: String?

  /// A header of `format` for the key `key` and parameters `spec`, other fields absent.
  public init(format: String, key: String, spec: BFVParameterSpec) {
    self.format = format
    self.version = Self.version(of: format)
    self.key = key
    self.degree = spec.degree
    self.coefficientModuli = spec.coefficientModuli
    self.plaintextModuli = spec.plaintextModuli
  }

  /// The parameters the header names.
  public var spec: BFVParameterSpec {
    BFVParameterSpec(degree: degree, coefficientModuli: coefficientModuli, plaintextModuli: plaintextModuli)
  }

  /// The header as one JSON line (without newline), `format` first.
  public func line() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    var fields: [(String, String)] = [
      ("format", try json(format)), ("version", String(version)), ("key", try json(key)),
      ("degree", String(degree)), ("coefficientModuli", try json(coefficientModuli)),
      ("plaintextModuli", try json(plaintextModuli)),
    ]
    func add(_ name: String, _ value: (some Encodable)?) throws {
      if let value { fields.append((name, try json(value))) }
    }
    try add("comment", comment)
    try add("encryption", encryption)
    try add("precisionBits", precisionBits)
    try add("columns", columns)
    try add("exponents", exponents)
    try add("ranges", ranges)
    try add("model", model)
    try add("threshold", threshold)
    try add("features", features)
    try add("fractionBits", fractionBits)
    try add("requiredBits", requiredBits)
    try add("errorBound", errorBound)
    try add("floodingBits", floodingBits)
    try add("reveal", reveal)
    try add("blindingBits", blindingBits)
    try add("shard", shard)
    return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
  }

  /// Whether a first line names one of the BFV formats (a cheap sniff).
  public static func isBFV(_ line: String) -> Bool {
    line.hasPrefix("{") && formats.contains { line.contains("\"\($0)\"") }
  }

  /// Parses and checks a header line of the format `expected` (any BFV format when nil).
  /// - Throws: ``FormatError/malformed(file:reason:)`` for a line that is not
  ///   a header of this version, ``FormatError/wrongKind(file:found:needed:)``
  ///   for another format than `expected`.
  public static func parse(_ line: String, file: String, expected: String? = nil) throws(FormatError) -> BFVFileHeader {
    let header: BFVFileHeader
    do {
      try StrictJSON.checkNoDuplicateKeys(line)
    } catch {
      throw FormatError.malformed(file: file, reason: "the header line is ambiguous: \(error)")
    }
    do {
      header = try JSONDecoder().decode(BFVFileHeader.self, from: Data(line.utf8))
    } catch {
      throw FormatError.malformed(file: file, reason: "the first line is not a HEKit BFV header")
    }
    guard formats.contains(header.format) else {
      throw FormatError.malformed(file: file, reason: "unknown format '\(header.format)'")
    }
    let supported = version(of: header.format)
    guard header.version == supported else {
      if supported == batchVersion && header.version == 1 {
        throw FormatError.malformed(
          file: file,
          reason: "a version-1 BFV batch file, which this build no longer reads (version 2 adds a trailer and binds "
            + "every line to its header): encrypt the records again with this version")
      }
      throw FormatError.malformed(file: file, reason: "version \(header.version) is not supported (this build reads \(supported))")
    }
    if let expected, header.format != expected {
      throw FormatError.wrongKind(file: file, found: describe(header.format), needed: describe(expected))
    }
    guard header.key.count == 32, header.key.allSatisfy(\.isHexDigit) else {
      throw FormatError.malformed(file: file, reason: "the key identity must be 32 hex digits")
    }
    return header
  }

  /// The 16 bytes every batch line under this header carries: the first 16
  /// bytes of SHA-256 over ``line()``. They name the key, the parameters and
  /// every field of the header but ``shard``, so a line moved under another
  /// header is refused, while a shard's lines keep their binding. Public: it keeps honest mistakes and splices out, not a
  /// malicious writer (anyone can compute it).
  /// - Throws: the error of ``line()``.
  public func binding() throws -> [UInt8] {
    var unsharded = self
    unsharded.shard = nil
    return Array(SHA256.hash(data: Array(try unsharded.line().utf8)).prefix(BFVBatchLine.bindingBytes))
  }

  /// A format, named for a person ("a BFV public key").
  public static func describe(_ format: String) -> String {
    switch format {
    case publicKeyFormat: "a BFV public key"
    case secretKeyFormat: "a BFV secret key"
    case recordsFormat: "a BFV batch file of encrypted records"
    case scoresFormat: "a BFV batch file of encrypted scores"
    default: "a '\(format)' file"
    }
  }

  /// The declared ranges of a records header, checked against its columns and
  /// exponents.
  /// - Throws: ``FormatError/malformed(file:reason:)`` naming the fault.
  public func checkedRanges(file: String) throws(FormatError) -> [ClosedRange<Double>] {
    guard let ranges, let exponents else {
      throw FormatError.malformed(file: file, reason: "the records header has no exponents and ranges")
    }
    guard ranges.count == exponents.count, columns == nil || columns!.count == ranges.count, !ranges.isEmpty else {
      throw FormatError.malformed(file: file, reason: "the records header's columns, exponents and ranges differ in count")
    }
    if let columns, Set(columns).count != columns.count {
      throw FormatError.malformed(file: file, reason: "the records header names a column twice")
    }
    if let j = exponents.firstIndex(where: { !(-512...512).contains($0) }) {
      let name = columns.map { "'\($0[j])'" } ?? "\(j + 1)"
      throw FormatError.malformed(
        file: file,
        reason: "column \(name) has the fixed-point exponent \(exponents[j]), outside -512...512 "
          + "(its declared range \(ranges[j].first ?? 0)...\(ranges[j].last ?? 0) is too wide or too close to 0)")
    }
    guard ranges.allSatisfy({ $0.count == 2 && $0[0].isFinite && $0[1].isFinite && $0[0] <= $0[1] }) else {
      throw FormatError.malformed(file: file, reason: "a range must be [low, high] with finite low ≤ high")
    }
    return ranges.map { $0[0]...$0[1] }
  }
}
