import EncryptedScoring
import Foundation
import HEKitFormats
import Tabular
import Testing
import _TestSupport

/// The file pipeline example in README.md ("The main job from Swift"), line
/// for line, on key files and a model written as `hekit keygen` and `hekit
/// train` write them (N = 4096 to keep the debug test quick; the README uses
/// the default N = 8192); its printed output asserted.
@Test("README pipeline example: clinic.pub, model.json, clinic.key")
func readmePipelineExample() throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-readme-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  // README: URL(fileURLWithPath: name), relative to the working directory.
  func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
  // What `hekit keygen --scheme bfv --preset n4096 --output clinic` and `hekit train` write.
  let (pub, key) = try BFVKeyFile.generate(BFVParameterSpec(preset: .n4096), comment: nil)
  try pub.text().write(to: file("clinic.pub"), atomically: true, encoding: .utf8)
  try key.text().write(to: file("clinic.key"), atomically: true, encoding: .utf8)
  let trained = try LinearModel.train(.logistic, on: Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target"))
  try trained.jsonData().write(to: file("model.json"))
  let csvPath = bundledData("breast_cancer.csv").path  // README: "Data/breast_cancer.csv"

  // README begins.
  // The clinic: its public key and its records, to a batch file.
  let publicKey = try BFVKeyFile(contentsOf: file("clinic.pub"))
  let data = try Dataset(contentsOf: URL(fileURLWithPath: csvPath), target: "target")
  let encryptor = try BFVRecordEncryptor(
    keys: publicKey, columns: data.featureNames, ranges: FixedPointLinearModel.ranges(of: data), precisionBits: 30)
  var records = ""
  try encryptor.encryptFile(data.features) { records += $0 }
  try records.write(to: file("patients.enc"), atomically: true, encoding: .utf8)

  // The scoring service: the model and the public key, never the secret key.
  let model = try LinearModel(json: Data(contentsOf: file("model.json")))
  let batch = try BFVFileText(contentsOf: file("patients.enc"))
  let server = try BFVScoringServer(model: model, keys: publicKey, records: batch.header, file: "patients.enc", targetError: nil)
  var scores = ""
  try server.scoreFile(lines: batch.linesAfterHeader(), file: "patients.enc") { scores += $0 }
  try scores.write(to: file("scores.enc"), atomically: true, encoding: .utf8)

  // The clinic again: the secret key decrypts logit, probability and label.
  let secretKey = try BFVKeyFile(contentsOf: file("clinic.key"))
  let scored = try BFVFileText(contentsOf: file("scores.enc"))
  var csv = ""
  try BFVBatchDecryptor(keys: secretKey, header: scored.header, file: "scores.enc")
    .decryptFile(lines: scored.linesAfterHeader(), file: "scores.enc") { csv += $0 }
  let rows = csv.split(separator: "\n")
  print(rows[0], rows.count - 1)  // logit,probability,label 569
  // README ends.

  #expect("\(rows[0]) \(rows.count - 1)" == "logit,probability,label 569")
  // Every row: the plaintext model's logit within the stated bound, and its label.
  let bound = try #require(scored.header.errorBound)
  for (row, record) in zip(rows.dropFirst(), data.features) {
    let cells = row.split(separator: ",")
    let logit = try #require(Double(cells[0]))
    #expect(abs(logit - model.linearScore(record)) <= bound)
    #expect(Int(cells[2]) == model.label(forLogit: model.linearScore(record)))
  }
  // The same bytes the command line reads: a scores file with its trailer.
  #expect(scores.hasSuffix(BFVFileTrailer(format: BFVFileHeader.scoresFormat, records: 569, lines: 1).line + "\n"))
  // The server refuses the secret key.
  #expect(throws: FormatError.self) {
    try BFVScoringServer(model: model, keys: secretKey, records: batch.header, file: "patients.enc", targetError: nil)
  }
}
