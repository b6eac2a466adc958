import BFV
import Foundation

extension Inspection {
  /// A BFV key file or batch file whose header line is `first`.
  static func bfv(
    _ first: String, _ nextLine: () throws -> String?, file: String, lineLimit: (Int) -> Void
  ) throws -> Inspection {
    let header = try BFVFileHeader.parse(first, file: file)
    let spec = header.spec
    let parameters = try spec.build(file: file)
    let kinds: [String: Kind] = [
      BFVFileHeader.publicKeyFormat: .bfvPublicKey, BFVFileHeader.secretKeyFormat: .bfvSecretKey,
      BFVFileHeader.recordsFormat: .bfvRecords, BFVFileHeader.scoresFormat: .bfvScores,
    ]
    guard let kind = kinds[header.format] else {
      throw FormatError.malformed(file: file, reason: "unknown format '\(header.format)'")
    }
    var report = Inspection(kind: kind, summary: BFVFileHeader.describe(header.format), scheme: .bfv)
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
          Field("degree", .int(spec.degree)), Field("logQ", .int(spec.logQ)),
          Field("coefficientModuli", .uints(spec.coefficientModuli)), Field("plaintextModuli", .uints(spec.plaintextModuli)),
          Field("plaintextModulusBits", .ints(widths)), Field("plaintextBits", .int(spec.plaintextBits)),
        ])))
    switch kind {
    case .bfvPublicKey, .bfvSecretKey:
      // Reads and checks every key (and, for public keys, the identity).
      var pending: String? = first
      let keys = try BFVKeyFile.read(
        lines: {
          defer { pending = nil }
          return try pending ?? nextLine()
        }, file: file)
      report.add("keys", .int(keys.parameters.count))
      report.add(
        "keyIdentity",
        .string(
          keys.isSecret
            ? "as stated (a secret key file holds no public key to check it against)" : "checked against the public keys"))
      if keys.isSecret { report.add("secret", .string("yes: one ternary secret key per modulus (not shown); keep this file mode 0600")) }
      report.add("comment", header.comment.map(Value.string))
    default:
      try report.bfvBatch(header, parameters: parameters, nextLine, file: file, lineLimit: lineLimit)
    }
    return report
  }

  /// The header's values and every line of a BFV batch file (records or scores).
  private mutating func bfvBatch(
    _ header: BFVFileHeader, parameters: [BFV.Parameters], _ nextLine: () throws -> String?, file: String,
    lineLimit: (Int) -> Void
  ) throws {
    let records = header.format == BFVFileHeader.recordsFormat
    let values: Int
    if records {
      values = try header.checkedRanges(file: file).count
      add("columns", .int(values))
      add("names", header.columns.map(Value.strings))
      add("encryption", header.encryption.map(Value.string))
      add("precisionBits", header.precisionBits.map(Value.int))
      add("exponents", .ints(header.exponents ?? []))
    } else {
      values = 1
      add("model", header.model.map(Value.string))
      add("threshold", header.threshold.map(Value.double))
      add("features", header.features.map(Value.int))
      add("fractionBits", header.fractionBits.map(Value.int))
      add("requiredBits", header.requiredBits.map(Value.int))
      add("errorBound", header.errorBound.map(Value.double))
      add("floodingBits", header.floodingBits.map(Value.int))
      add("reveal", .string(header.reveal ?? "logit"))
    }
    lineLimit(
      BFVBatchLine.maximumTextLength(
        moduli: parameters.count, values: records ? max(header.exponents?.count ?? 0, 1) : 1, parameters: parameters[0]))
    var count = 0
    var batches = 0
    var resultPrimes: Set<Int> = []
    var number = 1
    let binding = try header.binding()
    let format = header.format
    var end = BatchTrailerCheck(file: file, required: true) { line in
      let trailer = try BFVFileTrailer(parsing: line, format: format, file: file)
      return (trailer.records, trailer.lines)
    }
    while let text = try nextLine() {
      number += 1
      if text.isBlank { continue }
      if try end.isTrailer(text, number: number) { continue }
      do throws(BFVBatchLine.LineError) {
        let line = try BFVBatchLine(text)
        try line.check(
          records ? .records : .scores, moduli: parameters.count, values: values, capacity: header.degree,
          binding: binding)
        // Every ciphertext, read under its modulus's parameters (identity, lengths, ranges).
        for i in 0..<line.moduli {
          for j in 0..<line.values { resultPrimes.insert(try line.ciphertext(i, j, parameters: parameters[i]).level) }
        }
        count += line.count
        batches += 1
        end.count(records: line.count)
      } catch {
        throw FormatError.malformedLine(file: file, line: number, reason: error.reason)
      }
    }
    try end.finish()
    add(records ? "records" : "scores", .int(count))
    add("batches", .int(batches))
    add("slotsPerBatch", .int(header.degree))
    add("trailer", .string("present, counts match; every line bound to this header"))
    add("shard", header.shard.map(Value.string))
    // The primes of q the ciphertexts carry (scores are switched down before they leave).
    if !records { add("resultPrimes", .ints(resultPrimes.sorted())) }
  }
}
