import ArgumentParser
import BigNum
import Foundation
import Crypto
import HEKit

/// `hekit inspect`: what a HEKit file is, without printing any secret.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Describe a HEKit file: kind, scheme, parameters, key identity, counts, size.",
    discussion: """
      Recognises Paillier public and private keys (python-paillier JWK), pheutil \
      ciphertexts, Paillier batch files (records or scores), BFV key files, BFV \
      batch files (records or scores) and model JSON. Reads the whole file and \
      checks its structure (every batch line is decoded and every BFV key and \
      ciphertext read under its parameters); secret values are never printed. \
      The key identity is the first 16 bytes of SHA-256 over the public key \
      (Paillier: n big-endian; BFV: the serialized public keys), so files that \
      belong together show the same identity. Unknown or garbled files fail \
      with a message and exit status 1.
      """
  )

  @Argument(help: "The file to describe (- for stdin).")
  var file: String

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let report = try Inspector.inspect(file)
    print(json ? report.json() : report.text(file: file), terminator: "")
  }
}

/// What `hekit inspect` found: an ordered list of named values.
struct InspectReport {
  typealias Value = ReportValue

  /// A short identifier for scripts: paillier-public-key, paillier-private-key,
  /// paillier-ciphertext, paillier-records, paillier-scores, paillier-analysis, bfv-public-key,
  /// bfv-secret-key, bfv-records, bfv-scores or model.
  var type: String
  /// A description for people.
  var kind: String
  var scheme: String?
  var fields: [(String, Value)] = []

  mutating func add(_ name: String, _ value: Value?) {
    if let value { fields.append((name, value)) }
  }

  func text(file: String) -> String {
    var lines = ["\(file): \(kind)"]
    if let scheme { lines.append("  " + "scheme".padding(toLength: 14, withPad: " ", startingAt: 0) + scheme) }
    for (name, value) in fields {
      lines.append("  " + name.padding(toLength: 14, withPad: " ", startingAt: 0) + value.text)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func json() -> String {
    var all: [(String, Value)] = [("type", .string(type)), ("kind", .string(kind))]
    if let scheme { all.append(("scheme", .string(scheme))) }
    return Value.object(all + fields).json + "\n"
  }
}

/// The file is none of the kinds `hekit inspect` knows, or a garbled one.
struct InspectError: Error, LocalizedError {
  let file: String
  let reason: String
  var errorDescription: String? { "\(file): \(reason)" }
}

enum Inspector {
  static func inspect(_ path: String) throws -> InspectReport {
    let reader = try LineReader(path: path)
    var first = try reader.next()
    var offset = 0  // bytes of skipped blank lines
    while let line = first, line.isBlank {
      offset += line.utf8.count + 1
      first = try reader.next()
    }
    guard let first else { throw InspectError(file: path, reason: "the file is empty: not a HEKit file") }
    var size = offset + first.utf8.count + 1
    var report: InspectReport
    if BFVFileHeader.isBFV(first) {
      report = try bfv(first, reader, path, &size)
    } else if Paillier.Batch.isHeader(first) {
      report = try paillierBatch(first, reader, path, &size)
    } else {
      guard let text = try reader.document(startingWith: first, separator: "\n") else {
        throw InspectError(file: path, reason: "not a HEKit file (no known header, and too large for a key or model)")
      }
      size = offset + text.utf8.count + 1
      report = try document(Data(text.utf8), path)
    }
    size = Int(reader.totalBytes ?? max(reader.bytesRead, Int64(size)))  // a regular file's own size, else what was read
    report.add("size", .int(size))
    return report
  }

  static func fingerprint(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).prefix(16).hexString }

  static func paillierIdentity(_ n: BigInteger) -> String {
    fingerprint((try? n.bigEndianBytes()) ?? [])
  }

  // MARK: BFV

  static func bfv(_ first: String, _ reader: LineReader, _ path: String, _ size: inout Int) throws -> InspectReport {
    let header = try BFVFileHeader.parse(first, file: path)
    let spec = header.spec
    let parameters = try spec.build(file: path)
    let type = ["hekit-bfv-public-key": "bfv-public-key", "hekit-bfv-secret-key": "bfv-secret-key",
      "hekit-bfv-records": "bfv-records", "hekit-bfv-scores": "bfv-scores"][header.format] ?? header.format
    var report = InspectReport(type: type, kind: BFVFileHeader.describe(header.format), scheme: "bfv")
    report.add("key", .string(header.key))
    let widths = spec.plaintextModuli.map { 64 - $0.leadingZeroBitCount }
    let summary = "N=\(spec.degree), log q \(spec.logQ) (\(spec.coefficientModuli.count) primes), "
      + "t = \(spec.plaintextModuli.map(String.init).joined(separator: ", ")) "
      + "(\(widths.map(String.init).joined(separator: "+")) bits, \(spec.plaintextBits)-bit CRT space)"
    report.add(
      "parameters",
      .described(
        summary,
        .object([
          ("degree", .int(spec.degree)), ("logQ", .int(spec.logQ)), ("coefficientModuli", .uints(spec.coefficientModuli)),
          ("plaintextModuli", .uints(spec.plaintextModuli)), ("plaintextModulusBits", .ints(widths)),
          ("plaintextBits", .int(spec.plaintextBits)),
        ])))
    switch header.format {
    case BFVFileHeader.publicKeyFormat, BFVFileHeader.secretKeyFormat:
      // Reads and checks every key (and, for public keys, the identity).
      let keys = try BFVKeyFile.read(lines: reader.lines(first: first), file: path)
      report.add("keys", .int(keys.parameters.count))
      report.add("keyIdentity", .string(keys.isSecret ? "as stated (a secret key file holds no public key to check it against)" : "checked against the public keys"))
      if keys.isSecret { report.add("secret", .string("yes: one ternary secret key per modulus (not shown); keep this file mode 0600")) }
      report.add("comment", header.comment.map(InspectReport.Value.string))
    default:
      let records = header.format == BFVFileHeader.recordsFormat
      let values: Int
      if records {
        let ranges = try header.checkedRanges(file: path)
        values = ranges.count
        report.add("columns", .int(values))
        report.add("names", header.columns.map(InspectReport.Value.strings))
        report.add("encryption", header.encryption.map(InspectReport.Value.string))
        report.add("precisionBits", header.precisionBits.map(InspectReport.Value.int))
        report.add("exponents", .ints(header.exponents ?? []))
      } else {
        values = 1
        report.add("model", header.model.map(InspectReport.Value.string))
        report.add("threshold", header.threshold.map(InspectReport.Value.double))
        report.add("features", header.features.map(InspectReport.Value.int))
        report.add("fractionBits", header.fractionBits.map(InspectReport.Value.int))
        report.add("requiredBits", header.requiredBits.map(InspectReport.Value.int))
        report.add("errorBound", header.errorBound.map(InspectReport.Value.double))
        report.add("floodingBits", header.floodingBits.map(InspectReport.Value.int))
        report.add("reveal", .string(header.reveal ?? "logit"))
      }
      BFVCommands.limitLines(of: reader, header: header, parameters: parameters)
      var count = 0
      var batches = 0
      var resultPrimes: Set<Int> = []
      var number = 1
      let binding = try header.binding()
      let format = header.format
      var end = BatchTrailerCheck(file: path, required: true) { line in
        let trailer = try BFVFileTrailer(parsing: line, format: format, file: path)
        return (trailer.records, trailer.lines)
      }
      while let text = try reader.next() {
        number += 1
        size += text.utf8.count + 1
        if text.isBlank { continue }
        if try end.isTrailer(text, number: number) { continue }
        do throws(BFVBatchLine.LineError) {
          let line = try BFVBatchLine(text)
          try line.check(
            records ? .records : .scores, moduli: parameters.count, values: values, capacity: spec.degree, binding: binding)
          // Every ciphertext, read under its modulus's parameters (identity, lengths, ranges).
          for i in 0..<line.moduli {
            for j in 0..<line.values { resultPrimes.insert(try line.ciphertext(i, j, parameters: parameters[i]).level) }
          }
          count += line.count
          batches += 1
          end.count(records: line.count)
        } catch {
          throw FormatError.malformedLine(file: path, line: number, reason: error.reason)
        }
      }
      try end.finish()
      report.add(records ? "records" : "scores", .int(count))
      report.add("batches", .int(batches))
      report.add("slotsPerBatch", .int(spec.degree))
      report.add("trailer", .string("present, counts match; every line bound to this header"))
      // The primes of q the ciphertexts carry (scores are switched down before they leave).
      if !records { report.add("resultPrimes", .ints(resultPrimes.sorted())) }
    }
    return report
  }

  // MARK: Paillier

  static func paillierBatch(_ first: String, _ reader: LineReader, _ path: String, _ size: inout Int) throws -> InspectReport {
    let n: BigInteger
    do {
      n = try Paillier.Batch.modulus(ofHeader: first)
    } catch {
      throw InspectError(file: path, reason: "a garbled Paillier batch header: \(error.localizedDescription)")
    }
    let object = (try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]) ?? [:]
    let columns = object["columns"] as? [String]
    let annotations = object.compactMapValues { $0 as? String }
    let scores = annotations["model-kind"] != nil
    let analysis = annotations["analysis"] != nil
    let version = (object["version"] as? NSNumber)?.intValue ?? Paillier.Batch.version
    var report = InspectReport(
      type: scores ? "paillier-scores" : analysis ? "paillier-analysis" : "paillier-records",
      kind: scores
        ? "a Paillier batch file of encrypted scores"
        : analysis ? "a Paillier result file of hekit analyze (encrypted statistics)" : "a Paillier batch file of encrypted records",
      scheme: "paillier")
    report.add("key", .string(paillierIdentity(n)))
    report.add("parameters", .described("n of \(n.bitWidth) bits", .object([("bits", .int(n.bitWidth))])))
    report.add("version", .int(version))
    var count = 0
    var width: Int?
    var number = 1
    var versionOnly = Paillier.Batch.Header()
    versionOnly.version = version
    var end = BatchTrailerCheck(paillier: path, header: versionOnly)
    while let text = try reader.next() {
      number += 1
      size += text.utf8.count + 1
      if text.isBlank { continue }
      if try end.isTrailer(text, number: number) { continue }
      end.count(records: 1)
      guard (try? StrictJSON.checkNoDuplicateKeys(text)) != nil,
        let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]],
        array.allSatisfy({ $0["v"] is String && $0["e"] is NSNumber && ($0["bound"] == nil || $0["bound"] is String) })
      else {
        throw InspectError(file: path, reason: "line \(number) is not a JSON array of {\"v\", \"e\"} ciphertexts (truncated or garbled)")
      }
      guard width == nil || width == array.count else {
        throw InspectError(file: path, reason: "line \(number) holds \(array.count) values where line 2 holds \(width!)")
      }
      width = array.count
      count += 1
    }
    try end.finish()
    if !analysis { report.add("records", .int(count)) }
    report.add("trailer", .string(version >= 2 ? "present, counts match" : "none (version 1: truncation cannot be detected)"))
    report.add("columns", .int(columns?.count ?? width ?? 0))
    report.add("names", columns.map(InspectReport.Value.strings))
    if scores {
      report.add("model", annotations["model-kind"].map(InspectReport.Value.string))
      report.add("threshold", annotations["model-threshold"].flatMap(Double.init).map(InspectReport.Value.double))
    }
    if analysis {
      report.add("analysis", annotations["analysis"].map(InspectReport.Value.string))
      report.add("statistics", annotations["statistics"].map(InspectReport.Value.string))
      report.add("rows", annotations["rows"].map { .strings($0.split(separator: ",").map(String.init)) })
      report.add("privacy", .string(annotations["privacy"] ?? "none (no noise added)"))
    }
    return report
  }

  /// A single JSON document: a Paillier key, a pheutil ciphertext or a model.
  static func document(_ data: Data, _ path: String) throws -> InspectReport {
    do {
      try StrictJSON.checkNoDuplicateKeys(data)
    } catch {
      throw InspectError(file: path, reason: "\(error): HEKit refuses such files (which value is meant is ambiguous)")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw InspectError(file: path, reason: "not a HEKit file (neither a BFV or Paillier batch header nor a JSON key, ciphertext or model)")
    }
    if object["kty"] as? String == "DAJ" {
      let isPrivate = object["pub"] != nil || object["p"] != nil || object["lambda"] != nil
      do {
        let publicKey: Paillier.PublicKey
        if isPrivate {
          publicKey = try Paillier.PrivateKey(insecureJWK: data).publicKey
        } else {
          publicKey = try Paillier.PublicKey(insecureJWK: data)
        }
        var report = InspectReport(
          type: isPrivate ? "paillier-private-key" : "paillier-public-key",
          kind: isPrivate ? "a Paillier private key (python-paillier JWK)" : "a Paillier public key (python-paillier JWK)",
          scheme: "paillier")
        report.add("key", .string(paillierIdentity(publicKey.n)))
        report.add("parameters", .described("n of \(publicKey.bitWidth) bits", .object([("bits", .int(publicKey.bitWidth))])))
        report.add("secure", .bool(publicKey.bitWidth >= Paillier.minimumSecureKeyBits))
        report.add("comment", (object["kid"] as? String).map(InspectReport.Value.string))
        if isPrivate { report.add("secret", .string("yes: the primes p and q (not shown); keep this file mode 0600")) }
        return report
      } catch {
        throw InspectError(file: path, reason: "a garbled Paillier key: \(error.localizedDescription)")
      }
    }
    if let v = object["v"] as? String, let e = object["e"] as? NSNumber,
      object.count == 2 || (object.count == 3 && object["bound"] is String)
    {
      guard let value = try? BigInteger(v, radix: 10), value.signum() > 0 else {
        throw InspectError(file: path, reason: "a garbled pheutil ciphertext: \"v\" is not a positive decimal integer")
      }
      var report = InspectReport(type: "paillier-ciphertext", kind: "a Paillier ciphertext (pheutil {\"v\", \"e\"})", scheme: "paillier")
      report.add("exponent", .int(e.intValue))
      report.add("valueBits", .int(value.bitWidth))
      report.add("key", .string("not recorded in the file (any key of at least \((value.bitWidth + 1) / 2) bits)"))
      report.add(
        "bound",
        .string(
          (object["bound"] as? String).flatMap { try? BigInteger($0, radix: 10) }.map { "|mantissa| ≤ a \($0.bitWidth)-bit bound" }
            ?? "none (python-paillier's): add and multiply refuse it without --allow-unbounded"))
      return report
    }
    if object["features"] != nil || object["weights"] != nil || object["format"] as? String == LinearModel.formatName {
      do {
        let model = try LinearModel(json: data)
        var report = InspectReport(type: "model", kind: "a \(model.kind.rawValue) model (HEKit model JSON)", scheme: nil)
        report.add("features", .int(model.features.count))
        report.add("names", .strings(model.features))
        report.add("scaler", .bool(model.scaler != nil))
        if model.kind == .logistic { report.add("threshold", .double(model.threshold)) }
        return report
      } catch {
        throw InspectError(file: path, reason: "a garbled model: \(error.localizedDescription)")
      }
    }
    throw InspectError(file: path, reason: "a JSON document of no HEKit kind (not a key, ciphertext or model)")
  }
}
