import Foundation
import Testing

@Suite("hekit train")
struct TrainCLITests {
  let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Data")

  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test("trains on the bundled data, writes the model, reports held-out accuracy")
  func trains() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = dir.appendingPathComponent("model.json").path
    let input = data.appendingPathComponent("breast_cancer.csv").path
    let result = try CLI.run(["train", "--input", input, "--target", "target", "--test-every", "5", "--output", model])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("test accuracy 0.9649 on 114 rows"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any]
    #expect(json?["kind"] as? String == "logistic")
    #expect((json?["weights"] as? [Double])?.count == 30)
    // An existing output is not replaced without --force, and stays intact.
    let before = try Data(contentsOf: URL(fileURLWithPath: model))
    let again = try CLI.run(["train", "--input", input, "--target", "target", "--output", model, "--l2", "5"])
    #expect(again.status != 0 && again.stderr.contains("already exists"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)
  }

  @Test("bad input fails with a message naming the problem and leaves no file")
  func badInput() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appendingPathComponent("bad.csv")
    try Data("x,t\n1,0\n2,oops\n".utf8).write(to: bad)
    let output = dir.appendingPathComponent("m.json").path
    let result = try CLI.run(["train", "--input", bad.path, "--target", "t", "--output", output])
    #expect(result.status != 0)
    #expect(result.stderr.contains("CSV line 3, column 't': 'oops' is not a number"))
    #expect(!FileManager.default.fileExists(atPath: output))
    let contents = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(contents == ["bad.csv"])
  }
}
