import Foundation
import Synchronization
import Testing

/// Issue 18, cases 6 and 17 and its list of messages: linear regression under
/// BFV at the defaults, CSVs with a byte-order mark or without names, and
/// messages that name the file and the thing at fault.
@Suite("hekit input handling and messages", .serialized)
struct InputMessagesCLITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static func data(_ name: String) -> String { root.appendingPathComponent("Data/\(name)").path }

  /// A workspace with BFV keys `b` (N = 4096), Paillier keys `k`, and a
  /// linear model trained on the diabetes data.
  static let workspace: Result<URL, any Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-messages-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for arguments in [
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"],
      ["keygen", "--bits", "2048", "--output", "k"],
      ["train", "--kind", "linear", "--input", data("diabetes.csv"), "--target", "target", "--output", "lin.json"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["setup": "\(arguments): \(result.stderr)"]) }
    }
    return dir
  }

  /// Test cases run so far; the last one removes the workspace.
  static let finished = Atomic<Int>(0)
  static let cases = 8

  static func done() {
    if finished.add(1, ordering: .relaxed).newValue == cases, let dir = try? workspace.get() {
      try? FileManager.default.removeItem(at: dir)
    }
  }

  static func write(_ dir: URL, _ name: String, _ text: String) throws {
    try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  @Test("BFV linear regression on the diabetes data works at the defaults and speaks of scores", arguments: [30, 31])
  func linearDiabetes(precisionBits: Int) throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    let enc = "d\(precisionBits).enc"
    let encrypt = try CLI.run(
      ["encrypt", "--key", "b.pub", "--input", Self.data("diabetes.csv"), "--exclude", "target",
       "--precision-bits", "\(precisionBits)", "-o", enc], in: dir)
    #expect(encrypt.status == 0, "\(encrypt.stderr)")
    let score = try CLI.run(["score", "--model", "lin.json", "--key", "b.pub", "--input", enc, "-o", "s\(enc)", "--json"], in: dir)
    #expect(score.status == 0, "\(score.stderr)")
    #expect(score.stdout.contains("\"scoreErrorBound\"") && !score.stdout.contains("logit"), "\(score.stdout)")
    let decrypt = try CLI.run(["decrypt", "--key", "b.key", "s\(enc)"], in: dir)
    let rows = decrypt.stdout.split(separator: "\n")
    #expect(decrypt.status == 0 && rows.first == "score" && rows.count == 443, "\(decrypt.stderr)")
    // Predictions of a diabetes progression: in the tens to hundreds.
    #expect(rows.dropFirst().allSatisfy { Double($0).map { $0 > -100 && $0 < 500 } == true })
    // A target no scale reaches: the message names what works, in the model's terms.
    let tight = try CLI.run(["score", "--model", "lin.json", "--key", "b.pub", "--input", enc, "--target-error", "1e-9"], in: dir)
    #expect(tight.status == 1 && tight.stderr.contains("score error") && !tight.stderr.contains("logit"), "\(tight.stderr)")
    #expect(tight.stderr.contains("score with --target-error "), "\(tight.stderr)")
  }

  @Test("a byte-order mark does not reach the model or the records header; BFV scores a BOM CSV by name")
  func byteOrderMark() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    let diabetes = try String(contentsOfFile: Self.data("diabetes.csv"), encoding: .utf8)
    try Self.write(dir, "bom.csv", "\u{FEFF}" + diabetes)
    let train = try CLI.run(["train", "--kind", "linear", "--input", "bom.csv", "--target", "target", "--output", "bom.json"], in: dir)
    #expect(train.status == 0, "\(train.stderr)")
    let model = try String(contentsOf: dir.appendingPathComponent("bom.json"), encoding: .utf8)
    #expect(!model.contains("\u{FEFF}") && !model.contains("\\ufeff") && model.contains("\"age\""))
    let encrypt = try CLI.run(["encrypt", "--key", "b.pub", "--input", "bom.csv", "--exclude", "target", "-o", "bom.enc"], in: dir)
    #expect(encrypt.status == 0, "\(encrypt.stderr)")
    let score = try CLI.run(["score", "--model", "lin.json", "--key", "b.pub", "--input", "bom.enc", "-o", "bom.s"], in: dir)
    #expect(score.status == 0, "\(score.stderr)")
  }

  @Test("headerless records scored by position get a warning naming the model's features (both schemes)")
  func headerlessWarning() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    try Self.write(dir, "m2.json", #"{"kind": "linear", "features": ["a", "b"], "weights": [0.5, -2], "intercept": 1}"#)
    try Self.write(dir, "plain.csv", "1,2\n3,4\n")
    for (key, name) in [("b.pub", "hb.enc"), ("k.pub.json", "hp.enc")] {
      #expect(try CLI.run(["encrypt", "--key", key, "--input", "plain.csv", "-o", name], in: dir).status == 0)
      let score = try CLI.run(["score", "--model", "m2.json", "--key", key, "--input", name, "-o", name + ".s"], in: dir)
      #expect(score.status == 0, "\(score.stderr)")
      #expect(score.stderr.contains("warning: \(name) names no columns") && score.stderr.contains("m2.json (a, b)"), "\(score.stderr)")
    }
    // With names, no warning.
    try Self.write(dir, "named.csv", "a,b\n1,2\n")
    #expect(try CLI.run(["encrypt", "--key", "b.pub", "--input", "named.csv", "--header", "-o", "named.enc"], in: dir).status == 0)
    let named = try CLI.run(["score", "--model", "m2.json", "--key", "b.pub", "--input", "named.enc", "-o", "named.s"], in: dir)
    #expect(named.status == 0 && !named.stderr.contains("warning"), "\(named.stderr)")
  }

  @Test("messages name the file and the column: model files, --ranges-from columns, a 1e308 cell")
  func messages() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    try Self.write(dir, "bad.json", #"{"kind": "linear", "features": ["a"], "weights": [1, 2], "intercept": 0}"#)
    try Self.write(dir, "ab.csv", "a,b\n1,2\n3,4\n")
    #expect(try CLI.run(["encrypt", "--key", "b.pub", "--input", "ab.csv", "--header", "-o", "ab.enc"], in: dir).status == 0)
    for key in ["b.pub", "k.pub.json"] {
      let input = key == "b.pub" ? "ab.enc" : "abp.enc"
      if key != "b.pub" {
        #expect(try CLI.run(["encrypt", "--key", key, "--input", "ab.csv", "--header", "-o", input], in: dir).status == 0)
      }
      let bad = try CLI.run(["score", "--model", "bad.json", "--key", key, "--input", input], in: dir)
      #expect(bad.status == 1 && bad.stderr.contains("bad.json: invalid model"), "\(bad.stderr)")
      // A model whose features the records lack: both files named.
      let missing = try CLI.run(["score", "--model", "lin.json", "--key", key, "--input", input], in: dir)
      #expect(missing.status == 1 && missing.stderr.contains("\(input) and the model lin.json"), "\(missing.stderr)")
    }
    // --ranges-from with other columns: no model is involved in encrypt.
    try Self.write(dir, "abc.csv", "a,b,c\n1,2,3\n")
    let ranges = try CLI.run(["encrypt", "--key", "b.pub", "--input", "ab.csv", "--header", "--ranges-from", "abc.csv", "-o", "x.enc"], in: dir)
    #expect(ranges.status == 1 && !ranges.stderr.contains("model"), "\(ranges.stderr)")
    #expect(ranges.stderr.contains("--ranges-from abc.csv has other columns than ab.csv"), "\(ranges.stderr)")
    // A 1e308 cell: its column is named.
    try Self.write(dir, "huge.csv", "age,big\n1,2\n3,1e308\n")
    let huge = try CLI.run(["encrypt", "--key", "b.pub", "--input", "huge.csv", "--header", "-o", "h.enc"], in: dir)
    #expect(huge.status == 1 && huge.stderr.contains("column 'big'"), "\(huge.stderr)")
  }

  @Test("BFV encrypt refuses, before encrypting, a CSV so wide that one batch line would pass 2 GiB")
  func tooWide() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    let width = 20_000
    try Self.write(dir, "wide.csv", (0..<width).map { "c\($0)" }.joined(separator: ",") + "\n" + Array(repeating: "1", count: width).joined(separator: ",") + "\n")
    let result = try CLI.run(["encrypt", "--key", "b.pub", "--input", "wide.csv", "--header", "-o", "wide.enc"], in: dir)
    #expect(result.status == 1 && result.stderr.contains("wide.csv has 20000 columns"), "\(result.stderr)")
    #expect(result.stderr.contains("encrypt at most "), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("wide.enc").path))
  }

  @Test("encrypt --input shows the share of the input done, not of the input read ahead")
  func progressShare() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    let rows = (1...256).map { "\($0)" }.joined(separator: "\n")
    try Self.write(dir, "n.csv", rows + "\n")
    let result = try CLI.run(
      ["encrypt", "--key", "k.pub.json", "--input", "n.csv", "-o", "n.enc"], in: dir, environment: ["HEKIT_PROGRESS": "always"])
    #expect(result.status == 0, "\(result.stderr)")
    // The first drawing comes after the first 64 of 256 rows: a quarter of the file, not all of it.
    let first = try #require(result.stderr.split(separator: "\r").first { $0.contains("64 records") })
    let percent = try #require(first.split(separator: " ").first { $0.hasSuffix("%") }.flatMap { Int($0.dropLast()) })
    #expect((15...35).contains(percent), "\(first)")
  }

  @Test("inspect shows an analyze result's analysis, statistics, released rows and privacy")
  func inspectAnalysis() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    try Self.write(dir, "ab2.csv", "a,b\n1,2\n3,4\n5,6\n")
    #expect(try CLI.run(["encrypt", "--key", "k.pub.json", "--input", "ab2.csv", "--header", "-o", "ab2.enc"], in: dir).status == 0)
    let analyze = try CLI.run(
      ["analyze", "--key", "k.pub.json", "--input", "ab2.enc", "--dp-epsilon", "1", "--sensitivity", "10", "-o", "r.enc"], in: dir)
    #expect(analyze.status == 0, "\(analyze.stderr)")
    let inspect = try CLI.run(["inspect", "r.enc", "--json"], in: dir)
    #expect(inspect.status == 0, "\(inspect.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any]
    #expect(object?["type"] as? String == "paillier-analysis")
    #expect(object?["analysis"] as? String == "hekit-analyze")
    #expect(object?["rows"] as? [String] == ["count", "sum"])
    #expect((object?["privacy"] as? String)?.contains("epsilon") == true, "\(inspect.stdout)")
    let decrypted = try CLI.run(["analyze", "--decrypt", "--key", "k.key.json", "--input", "r.enc"], in: dir)
    #expect(decrypted.status == 0, "\(decrypted.stderr)")
    // Its trailer is checked too.
    let lines = try String(contentsOf: dir.appendingPathComponent("r.enc"), encoding: .utf8).split(separator: "\n")
    try Self.write(dir, "r2.enc", lines.prefix(2).joined(separator: "\n") + "\n")
    let cut = try CLI.run(["analyze", "--decrypt", "--key", "k.key.json", "--input", "r2.enc"], in: dir)
    #expect(cut.status == 1 && cut.stderr.contains("r2.enc is truncated"), "\(cut.stderr)")
  }
}
