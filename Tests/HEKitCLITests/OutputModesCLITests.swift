import Foundation
import Testing

/// `--json` summaries of every command that works on files, and the progress
/// line on standard error (shown on a terminal, forced here with
/// HEKIT_PROGRESS=always, absent when standard error is a pipe).
@Suite("hekit --json and progress")
struct OutputModesCLITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// A fresh directory holding the first `rows` records of the bundled data.
  static func directory(rows: Int) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-json-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let text = try String(contentsOf: root.appendingPathComponent("Data/breast_cancer.csv"), encoding: .utf8)
    let lines = text.split(whereSeparator: \.isNewline).prefix(rows + 1)
    try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
    return dir
  }

  /// Runs hekit in `dir`, expects success and one JSON object on stdout.
  static func json(_ arguments: [String], in dir: URL, environment: [String: String] = [:]) throws -> (object: [String: Any], stderr: String) {
    let result = try CLI.run(arguments, in: dir, environment: environment)
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object != nil, "\(arguments) printed no JSON object: \(result.stdout)")
    return (object ?? [:], result.stderr)
  }

  @Test("Paillier: keygen, train, encrypt, score, decrypt and analyze report what they did as JSON")
  func paillier() throws {
    let dir = try Self.directory(rows: 30)
    defer { try? FileManager.default.removeItem(at: dir) }
    let keygen = try Self.json(["keygen", "--bits", "2048", "--output", "k", "--json"], in: dir).object
    #expect(keygen["command"] as? String == "keygen" && keygen["scheme"] as? String == "paillier")
    #expect(keygen["publicKey"] as? String == "k.pub.json" && keygen["secretKey"] as? String == "k.key.json")
    #expect((keygen["key"] as? String)?.count == 32 && keygen["bits"] as? Int == 2048)

    let train = try Self.json(
      ["train", "--input", "data.csv", "--target", "target", "--output", "m.json", "--test-every", "3", "--json"], in: dir
    ).object
    #expect(train["rows"] as? Int == 20 && (train["features"] as? [String])?.count == 30)
    let accuracy = (train["test"] as? [String: Any])?["accuracy"] as? Double
    #expect(accuracy.map { (0...1).contains($0) } == true)

    // Progress is forced on; its summary line counts the records.
    let (encrypt, progress) = try Self.json(
      ["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--header", "--exclude", "target", "--output", "r.enc", "--json"],
      in: dir, environment: ["HEKIT_PROGRESS": "always"])
    #expect(encrypt["records"] as? Int == 30 && encrypt["scheme"] as? String == "paillier")
    #expect(encrypt["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("r.enc").path)[.size] as? Int))
    #expect(progress.contains("\r") && progress.contains("encrypt: 30 records in"))

    let (score, quiet) = try Self.json(
      ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "r.enc", "--output", "s.enc", "--json"], in: dir)
    #expect(score["records"] as? Int == 30 && score["model"] as? String == "m.json")
    #expect(quiet.isEmpty, "no progress on a pipe: \(quiet)")

    let decrypt = try Self.json(["decrypt", "--key", "k.key.json", "s.enc", "--output", "s.csv", "--json"], in: dir).object
    #expect(decrypt["records"] as? Int == 30)
    let plain = try CLI.run(["decrypt", "--key", "k.key.json", "s.enc"], in: dir)
    #expect(try String(contentsOf: dir.appendingPathComponent("s.csv"), encoding: .utf8) == plain.stdout)

    // --json never shares standard output with the data.
    let refused = try CLI.run(["score", "--model", "m.json", "--key", "k.pub.json", "--input", "r.enc", "--json"], in: dir)
    #expect(refused.status == 64 && refused.stderr.contains("--json") && refused.stdout.isEmpty)

    _ = try CLI.run(
      ["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--columns", "mean radius", "--with-squares", "--output", "a.enc"], in: dir)
    let analyze = try Self.json(["analyze", "--key", "k.pub.json", "--input", "a.enc", "--output", "a.res", "--json"], in: dir).object
    #expect(analyze["records"] as? Int == 30 && analyze["columns"] as? [String] == ["mean radius"])
    let stats = try Self.json(["analyze", "--decrypt", "--key", "k.key.json", "--input", "a.res", "--json"], in: dir).object
    let released = stats["statistics"] as? [String: [Any]]
    let radii = try String(contentsOf: dir.appendingPathComponent("data.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[0]) }
    #expect(released?["count"]?.first as? Int == 30)
    let mean = released?["mean"]?.first as? Double
    #expect(mean.map { abs($0 - radii.reduce(0, +) / 30) < 1e-9 } == true)
  }

  @Test("BFV: keygen, encrypt, score and decrypt report what they did as JSON")
  func bfv() throws {
    let dir = try Self.directory(rows: 20)
    defer { try? FileManager.default.removeItem(at: dir) }
    // The default ring is N = 8192 (strong flooding); the rest runs at N = 4096 for speed.
    let standard = try Self.json(["keygen", "--scheme", "bfv", "--output", "d", "--json"], in: dir).object
    #expect(standard["degree"] as? Int == 8192 && standard["logQ"] as? Int == 218)
    let keygen = try Self.json(["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b", "--json"], in: dir).object
    #expect(keygen["scheme"] as? String == "bfv" && keygen["degree"] as? Int == 4096 && keygen["logQ"] as? Int == 109)
    #expect((keygen["plaintextModuli"] as? [Int])?.count == 3)
    _ = try CLI.run(["train", "--input", "data.csv", "--target", "target", "--output", "m.json"], in: dir)
    let encrypt = try Self.json(
      ["encrypt", "--key", "b.pub", "--input", "data.csv", "--header", "--exclude", "target", "--output", "r.enc", "--json"], in: dir
    ).object
    #expect(encrypt["records"] as? Int == 20 && encrypt["scheme"] as? String == "bfv")
    let (score, progress) = try Self.json(
      ["score", "--model", "m.json", "--key", "b.pub", "--input", "r.enc", "--output", "s.enc", "--json"], in: dir,
      environment: ["HEKIT_PROGRESS": "always"])
    #expect(score["records"] as? Int == 20)
    #expect((score["logitErrorBound"] as? Double).map { $0 > 0 && $0 <= 1e-6 } == true)
    #expect(progress.contains("score: 20 records in"))
    let decrypt = try Self.json(["decrypt", "--key", "b.key", "s.enc", "--output", "s.csv", "--json"], in: dir).object
    #expect(decrypt["records"] as? Int == 20 && decrypt["scheme"] as? String == "bfv")
    let lines = try String(contentsOf: dir.appendingPathComponent("s.csv"), encoding: .utf8).split(separator: "\n")
    #expect(lines.first == "logit,probability,label" && lines.count == 21)
  }

  @Test("demo --json: one object with both schemes' stages, agreement and sizes")
  func demo() throws {
    let (object, _) = try Self.json(["demo", "--bits", "2048", "--rows", "25", "--preset", "n4096", "--json"], in: Self.root)
    #expect(object["command"] as? String == "demo" && object["passed"] as? Bool == true)
    for scheme in ["paillier", "bfv"] {
      let part = object[scheme] as? [String: Any]
      #expect(part?["labelsAgreeing"] as? Int == 25 && part?["records"] as? Int == 25, "\(scheme)")
      #expect((part?["stages"] as? [[String: Any]])?.count == 4, "\(scheme)")
      #expect((part?["maxLogitError"] as? Double).map { $0 < 1e-6 } == true, "\(scheme)")
    }
    #expect((object["bfv"] as? [String: Any])?["logitErrorBound"] is Double)
  }

  @Test("the progress line: bar, share, count, rate and time left; no bar without a known size")
  func progressLine() throws {
    let dir = try Self.directory(rows: 5)
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try CLI.run(["keygen", "--bits", "2048", "--output", "k"], in: dir)
    // From stdin the size is unknown: a count and a rate, no bar.
    let csv = try Data(contentsOf: dir.appendingPathComponent("data.csv"))
    let piped = try CLI.run(
      ["encrypt", "--key", "k.pub.json", "--input", "-", "--header", "--output", "p.enc"], stdin: csv, in: dir,
      environment: ["HEKIT_PROGRESS": "always"])
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stderr.contains("encrypt  5 records") && !piped.stderr.contains("%"))
    let file = try CLI.run(
      ["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--header", "--output", "f.enc"], in: dir,
      environment: ["HEKIT_PROGRESS": "always"])
    #expect(file.stderr.contains("encrypt  [####################]  100%  5 records"))
    let never = try CLI.run(
      ["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--header", "--output", "n.enc"], in: dir,
      environment: ["HEKIT_PROGRESS": "never"])
    #expect(never.status == 0 && never.stderr.isEmpty)
  }
}
