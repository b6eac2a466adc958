import BigNum
import Foundation
import Paillier
import StrictJSON
import Tabular

extension Inspection {
  /// A Paillier batch file (records, scores or an analysis) whose header line is `first`.
  static func paillierBatch(_ first: String, _ nextLine: () throws -> String?, file: String) throws -> Inspection {
    let n: BigInteger
    do {
      n = try Paillier.Batch.modulus(ofHeader: first)
    } catch {
      throw FormatError.malformed(file: file, reason: "a garbled Paillier batch header: \(error.localizedDescription)")
    }
    let object = (try? JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]) ?? [:]
    let columns = object["columns"] as? [String]
    let annotations = object.compactMapValues { $0 as? String }
    let scores = annotations["model-kind"] != nil
    let analysis = annotations["analysis"] != nil
    let version = (object["version"] as? NSNumber)?.intValue ?? Paillier.Batch.version
    var report = Inspection(
      kind: scores ? .paillierScores : analysis ? .paillierAnalysis : .paillierRecords,
      summary: scores
        ? "a Paillier batch file of encrypted scores"
        : analysis ? "a Paillier result file of an encrypted analysis (statistics)" : "a Paillier batch file of encrypted records",
      scheme: .paillier)
    report.add("key", .string(paillierIdentity(n)))
    report.add("parameters", .described("n of \(n.bitWidth) bits", .object([Field("bits", .int(n.bitWidth))])))
    report.add("version", .int(version))
    var count = 0
    var width: Int?
    var number = 1
    var end = BatchTrailerCheck(file: file, required: version >= 2) { line in
      let trailer = try Paillier.Batch.Trailer(parsing: line)
      return (trailer.records, trailer.lines)
    }
    while let text = try nextLine() {
      number += 1
      if text.isBlank { continue }
      if try end.isTrailer(text, number: number) { continue }
      end.count(records: 1)
      guard (try? StrictJSON.checkNoDuplicateKeys(text)) != nil,
        let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]],
        array.allSatisfy({ $0["v"] is String && $0["e"] is NSNumber && ($0["bound"] == nil || $0["bound"] is String) })
      else {
        throw FormatError.malformedLine(
          file: file, line: number, reason: "not a JSON array of {\"v\", \"e\"} ciphertexts (truncated or garbled)")
      }
      if let width, width != array.count {
        throw FormatError.malformedLine(file: file, line: number, reason: "\(array.count) values where line 2 holds \(width)")
      }
      width = array.count
      count += 1
    }
    try end.finish()
    if !analysis { report.add("records", .int(count)) }
    report.add("trailer", .string(version >= 2 ? "present, counts match" : "none (version 1: truncation cannot be detected)"))
    report.add("columns", .int(columns?.count ?? width ?? 0))
    report.add("names", columns.map(Value.strings))
    report.add("shard", annotations[BatchShard.field].map(Value.string))
    if scores {
      report.add("model", annotations["model-kind"].map(Value.string))
      report.add("threshold", annotations["model-threshold"].flatMap(Double.init).map(Value.double))
    }
    if analysis {
      report.add("analysis", annotations["analysis"].map(Value.string))
      report.add("statistics", annotations["statistics"].map(Value.string))
      report.add("rows", annotations["rows"].map { .strings($0.split(separator: ",").map(String.init)) })
      report.add("privacy", .string(annotations["privacy"] ?? "none (no noise added)"))
    }
    return report
  }

  /// A single JSON document: a Paillier key, a pheutil ciphertext or a model.
  static func document(_ data: Data, file: String) throws(FormatError) -> Inspection {
    do {
      try StrictJSON.checkNoDuplicateKeys(data)
    } catch {
      throw .malformed(file: file, reason: "\(error): HEKit refuses such files (which value is meant is ambiguous)")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw .malformed(
        file: file, reason: "not a HEKit file (neither a BFV or Paillier batch header nor a JSON key, ciphertext or model)")
    }
    if object["kty"] as? String == "DAJ" { return try paillierKey(data, object, file: file) }
    if let v = object["v"] as? String, let e = object["e"] as? NSNumber,
      object.count == 2 || (object.count == 3 && object["bound"] is String)
    {
      guard let value = try? BigInteger(v, radix: 10), value.signum() > 0 else {
        throw .malformed(file: file, reason: "a garbled pheutil ciphertext: \"v\" is not a positive decimal integer")
      }
      var report = Inspection(kind: .paillierCiphertext, summary: "a Paillier ciphertext (pheutil {\"v\", \"e\"})", scheme: .paillier)
      report.add("exponent", .int(e.intValue))
      report.add("valueBits", .int(value.bitWidth))
      report.add("key", .string("not recorded in the file (any key of at least \((value.bitWidth + 1) / 2) bits)"))
      report.add(
        "bound",
        .string(
          (object["bound"] as? String).flatMap { try? BigInteger($0, radix: 10) }.map { "|mantissa| ≤ a \($0.bitWidth)-bit bound" }
            ?? "none (python-paillier's): operations that check the plaintext window refuse it"))
      return report
    }
    if object["features"] != nil || object["weights"] != nil || object["format"] as? String == LinearModel.formatName {
      do {
        let model = try LinearModel(json: data)
        var report = Inspection(kind: .model, summary: "a \(model.kind.rawValue) model (HEKit model JSON)", scheme: nil)
        report.add("features", .int(model.features.count))
        report.add("names", .strings(model.features))
        report.add("scaler", .bool(model.scaler != nil))
        if model.kind == .logistic { report.add("threshold", .double(model.threshold)) }
        return report
      } catch {
        throw .malformed(file: file, reason: "a garbled model: \(error.localizedDescription)")
      }
    }
    throw .malformed(file: file, reason: "a JSON document of no HEKit kind (not a key, ciphertext or model)")
  }

  /// A Paillier public or private key (python-paillier JWK), checked as its reader checks it.
  private static func paillierKey(_ data: Data, _ object: [String: Any], file: String) throws(FormatError) -> Inspection {
    let isPrivate = PaillierKeyFile.isPrivate(data)
    let publicKey: Paillier.PublicKey
    do {
      publicKey = isPrivate ? try Paillier.PrivateKey(insecureJWK: data).publicKey : try Paillier.PublicKey(insecureJWK: data)
    } catch {
      throw .malformed(file: file, reason: "a garbled Paillier key: \(error.localizedDescription)")
    }
    var report = Inspection(
      kind: isPrivate ? .paillierPrivateKey : .paillierPublicKey,
      summary: isPrivate ? "a Paillier private key (python-paillier JWK)" : "a Paillier public key (python-paillier JWK)",
      scheme: .paillier)
    report.add("key", .string(paillierIdentity(publicKey.n)))
    report.add("parameters", .described("n of \(publicKey.bitWidth) bits", .object([Field("bits", .int(publicKey.bitWidth))])))
    report.add("secure", .bool(publicKey.bitWidth >= Paillier.minimumSecureKeyBits))
    report.add("comment", (object["kid"] as? String).map(Value.string))
    if isPrivate { report.add("secret", .string("yes: the primes p and q (not shown); keep this file mode 0600")) }
    return report
  }
}
