import Foundation
import Testing

/// The encrypt → score → decrypt job through the CLI, on rows of the bundled
/// breast-cancer data, checked against the plaintext model's own output.
@Suite("hekit score")
struct ScoreCLITests {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test("scores decrypt to the plaintext logits and labels; the server refuses a private key")
  func endToEnd() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-score-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func run(_ arguments: [String]) throws -> CLIResult {
      let result = try CLI.run(arguments)
      #expect(result.status == 0, "\(arguments.first ?? ""): \(result.stderr)")
      return result
    }
    // 12 rows, with a quoted header cell and the columns in another order than the model's.
    let full = try String(contentsOf: root.appendingPathComponent("Data/breast_cancer.csv"), encoding: .utf8)
    var lines = full.split(whereSeparator: \.isNewline).map(String.init)  // the file has CRLF endings
    let header = lines[0].split(separator: ",").map(String.init)
    let rows = lines[1...].prefix(12).map { $0.split(separator: ",").map(String.init) }
    let order = Array(header.indices.reversed())
    lines = [order.map { "\"\(header[$0])\"" }.joined(separator: ",")] + rows.map { r in order.map { r[$0] }.joined(separator: ",") }
    try lines.joined(separator: "\n").write(toFile: path("rows.csv"), atomically: true, encoding: .utf8)

    _ = try run(["train", "--input", root.appendingPathComponent("Data/breast_cancer.csv").path, "--target", "target", "--output", path("model.json")])
    _ = try run(["keygen", "--scheme", "paillier", "--bits", "2048", "--output", path("k")])
    _ = try run(["encrypt", "--key", path("k.pub.json"), "--input", path("rows.csv"), "--exclude", "target", "--output", path("rows.enc")])
    let encryptedHeader = try String(contentsOfFile: path("rows.enc"), encoding: .utf8).prefix { $0 != "\n" }
    #expect(encryptedHeader.contains("\"mean radius\"") && !encryptedHeader.contains("\"target\""))
    _ = try run(["score", "--model", path("model.json"), "--key", path("k.pub.json"), "--input", path("rows.enc"), "--output", path("scores.enc")])
    let decrypted = try run(["decrypt", "--key", path("k.key.json"), path("scores.enc")]).stdout
    let out = decrypted.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    #expect(out.first == ["logit", "probability", "label"])
    #expect(out.count == 13)

    // The plaintext model on the same rows, from its JSON.
    let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("model.json")))) as! [String: Any]
    let features = model["features"] as! [String]
    let weights = model["weights"] as! [Double]
    let scaler = model["scaler"] as! [String: [Double]]
    for (row, decryptedRow) in zip(rows, out.dropFirst()) {
      var logit = model["intercept"] as! Double
      for (j, name) in features.enumerated() {
        let x = Double(row[header.firstIndex(of: name)!])!
        logit += weights[j] * (x - scaler["mean"]![j]) / scaler["scale"]![j]
      }
      let encrypted = try #require(Double(decryptedRow[0]))
      #expect(abs(encrypted - logit) < 1e-6)
      #expect(decryptedRow[2] == (logit >= 0 ? "1" : "0"))
    }

    let refused = try CLI.run(["score", "--model", path("model.json"), "--key", path("k.key.json"), "--input", path("rows.enc")])
    #expect(refused.status != 0 && refused.stderr.contains("private key"))
  }

  @Test("a model whose features are not in the data is refused by name")
  func featureMismatch() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-score-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    try "x,y\n1,2\n".write(toFile: path("d.csv"), atomically: true, encoding: .utf8)
    try #"{"kind": "linear", "features": ["x", "z"], "weights": [1, 2], "intercept": 0}"#.write(toFile: path("m.json"), atomically: true, encoding: .utf8)
    #expect(try CLI.run(["keygen", "--bits", "2048", "--output", path("k")]).status == 0)
    #expect(try CLI.run(["encrypt", "--key", path("k.pub.json"), "--input", path("d.csv"), "--skip-header", "--output", path("d.enc")]).status == 0)
    let result = try CLI.run(["score", "--model", path("m.json"), "--key", path("k.pub.json"), "--input", path("d.enc"), "--output", path("s.enc")])
    #expect(result.status != 0)
    #expect(result.stderr.contains("missing 'z'"))
    #expect(!FileManager.default.fileExists(atPath: path("s.enc")))
  }
}
