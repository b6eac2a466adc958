import EncryptedScoring
import Foundation
import HEKitFormats
import Paillier
import Tabular
import Testing
import _TestSupport

/// The Paillier batch files through the library, as `hekit encrypt`, `score`
/// and `decrypt` run them: a round trip on the bundled data, and refusals.
@Suite("Paillier batch pipeline")
struct PaillierPipelineTests {
  /// Lines of a text after its first (the header), one per call.
  private func lines(after text: String) -> () -> String? {
    var rest = text.split(separator: "\n").dropFirst().makeIterator()
    return { rest.next().map(String.init) }
  }

  @Test("records to scores to CSV: every logit within 1e-9 of the plaintext model, labels equal")
  func roundTrip() throws {
    let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
    let model = try LinearModel.train(.logistic, on: data)
    let key = try Paillier.PrivateKey.insecureGenerate(bits: 1024)
    let rows = Array(data.features.prefix(70))  // two chunks of 64 and a remainder
    let encryptor = PaillierRecordEncryptor(publicKey: key.publicKey, columns: data.featureNames)
    var next = 0
    var records = ""
    let written = try encryptor.encryptFile(
      rows: {
        defer { next = min(next + 64, rows.count) }
        return (next..<min(next + 64, rows.count)).map { (line: $0 + 2, cells: rows[$0].map { "\($0)" }) }
      }, to: { records += $0 })
    #expect(written == 70)
    #expect(records.hasSuffix(Paillier.Batch.Trailer(records: 70, lines: 70).line + "\n"))

    let header = try PaillierBatchFile.header(
      String(records.prefix { $0 != "\n" }), file: "p.enc", publicKey: key.publicKey, keyFile: "k")
    var scores = ""
    let server = try PaillierScoringServer(model: model, publicKey: key.publicKey, records: header)
    #expect(try server.scoreFile(lines: lines(after: records), file: "p.enc", to: { scores += $0 }) == 70)

    let scoresHeader = try PaillierBatchFile.header(
      String(scores.prefix { $0 != "\n" }), file: "s.enc", publicKey: key.publicKey, keyFile: "k")
    var csv = ""
    let decryptor = PaillierBatchDecryptor(privateKey: key, header: scoresHeader)
    #expect(try decryptor.decryptFile(lines: lines(after: scores), file: "s.enc", to: { csv += $0 }) == 70)
    let out = csv.split(separator: "\n")
    #expect(out[0] == "logit,probability,label")
    for (row, record) in zip(out.dropFirst(), rows) {
      let cells = row.split(separator: ",")
      let logit = try #require(Double(cells[0]))
      #expect(abs(logit - model.linearScore(record)) < 1e-9)
      #expect(Int(cells[2]) == model.label(forLogit: model.linearScore(record)))
    }
  }

  @Test("refusals: another key, a cut file, a record of another width, a cell that is not a number")
  func refusals() throws {
    let key = try Paillier.PrivateKey.insecureGenerate(bits: 1024)
    let other = try Paillier.PrivateKey.insecureGenerate(bits: 1024)
    let encryptor = PaillierRecordEncryptor(publicKey: key.publicKey, columns: ["a", "b"])
    var text = ""
    var done = false
    try encryptor.encryptFile(
      rows: {
        defer { done = true }
        return done ? [] : [(line: 2, cells: ["1.5", "2"]), (line: 3, cells: ["-3", "4e2"])]
      }, to: { text += $0 })
    let headerLine = String(text.prefix { $0 != "\n" })
    #expect(throws: FormatError.otherPublicKey(file: "p.enc", keyFile: "o")) {
      try PaillierBatchFile.header(headerLine, file: "p.enc", publicKey: other.publicKey, keyFile: "o")
    }
    let header = try PaillierBatchFile.header(headerLine, file: "p.enc", publicKey: key.publicKey, keyFile: "k")
    let decryptor = PaillierBatchDecryptor(privateKey: key, header: header)
    var csv = ""
    try decryptor.decryptFile(lines: lines(after: text), file: "p.enc", to: { csv += $0 })
    #expect(csv == "a,b\n1.5,2\n-3,400.0\n")  // integers exactly, other numbers as doubles
    // Cut before the trailer.
    let cut = text.split(separator: "\n").dropLast().joined(separator: "\n")
    #expect(throws: FormatError.truncated(file: "p.enc", detail: "no trailer (HEKit writes one as the last line)")) {
      try decryptor.decryptFile(lines: lines(after: cut), file: "p.enc", to: { _ in })
    }
    // A model of three features on records of two named columns.
    let model = try LinearModel(kind: .linear, features: ["a", "b", "c"], weights: [1, 1, 1], intercept: 0)
    #expect(throws: TabularError.self) { try PaillierScoringServer(model: model, publicKey: key.publicKey, records: header) }
    #expect(throws: TabularError.self) { try encryptor.encryptRecord(["1", "0x10"], line: 7) }
  }
}
