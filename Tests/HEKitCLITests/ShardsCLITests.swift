import Foundation
import Synchronization
import Testing

/// Issue 16: `hekit split` a records file into shards, `hekit score` each on
/// its own, `hekit join` the scored shards, `hekit decrypt`: the same CSV as
/// scoring the whole file; reordered, missing and foreign shards refused.
@Suite("hekit split and join", .serialized)
struct ShardsCLITests {
  /// A BFV case (8500 rows of 2 columns: 3 batch lines at N = 4096) and a
  /// Paillier case (30 rows), each with its keys, records and a logistic model.
  static let workspace: Result<URL, any Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-shards-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let rows = (1...8500).map { "\($0 % 97),\(Double($0 % 13) / 4)" }
    try (["a,b"] + rows).joined(separator: "\n").appending("\n").write(to: dir.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
    try (["a,b"] + rows.prefix(30)).joined(separator: "\n").appending("\n").write(to: dir.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
    try #"{"kind": "logistic", "features": ["a", "b"], "weights": [0.05, -0.8], "intercept": 0.3}"#
      .write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
    for arguments in [
      ["keygen", "--bits", "2048", "--output", "k"],
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"],
      ["encrypt", "--key", "k.pub.json", "--input", "p.csv", "--header", "-o", "p.enc"],
      ["encrypt", "--key", "k.pub.json", "--input", "p.csv", "--header", "-o", "q.enc"],
      ["encrypt", "--key", "b.pub", "--input", "b.csv", "--header", "-o", "b.enc"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["setup": "\(arguments): \(result.stderr)"]) }
    }
    return dir
  }

  /// Test cases run so far; the last one removes the workspace.
  static let finished = Atomic<Int>(0)
  static let cases = 3

  static func done() {
    if finished.add(1, ordering: .relaxed).newValue == cases, let dir = try? workspace.get() {
      try? FileManager.default.removeItem(at: dir)
    }
  }

  static func run(_ arguments: [String], in dir: URL) throws -> CLIResult {
    let result = try CLI.run(arguments, in: dir)
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
    return result
  }

  static func read(_ dir: URL, _ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }

  static func shard(_ name: String, _ index: Int, _ suffix: String = "enc") -> String {
    "\(name)-0000\(index)-of-00003.\(suffix)"
  }

  @Test("split into 3, score each shard, join, decrypt: the CSV of the whole file; records join back byte for byte", arguments: [
    ("b", "b.pub", "b.key"), ("p", "k.pub.json", "k.key.json"),
  ])
  func scoreShards(_ name: String, _ publicKey: String, _ secretKey: String) throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    _ = try Self.run(["split", "--input", "\(name).enc", "--shards", "3", "--output", name], in: dir)
    for index in 0..<3 {
      _ = try Self.run(
        ["score", "--model", "m.json", "--key", publicKey, "--input", Self.shard(name, index), "-o", Self.shard(name, index, "scores")],
        in: dir)
    }
    _ = try Self.run(["join", "-o", "\(name).rejoined"] + (0..<3).map { Self.shard(name, $0) }, in: dir)
    #expect(try Self.read(dir, "\(name).rejoined") == Self.read(dir, "\(name).enc"))
    _ = try Self.run(["join", "-o", "\(name).joined"] + (0..<3).map { Self.shard(name, $0, "scores") }, in: dir)
    // A scores file splits and joins back too.
    _ = try Self.run(["split", "--input", "\(name).joined", "--shards", "3", "--output", "\(name)s"], in: dir)
    _ = try Self.run(["join", "-o", "\(name).rejoined-scores"] + (0..<3).map { Self.shard("\(name)s", $0) }, in: dir)
    #expect(try Self.read(dir, "\(name).rejoined-scores") == Self.read(dir, "\(name).joined"))
    let inspected = try Self.run(["inspect", Self.shard(name, 1, "scores")], in: dir)
    #expect(inspected.stdout.contains("index=1 count=3 line=\(name == "b" ? 1 : 10)"), "\(inspected.stdout)")
    _ = try Self.run(["score", "--model", "m.json", "--key", publicKey, "--input", "\(name).enc", "-o", "\(name).scores"], in: dir)
    _ = try Self.run(["decrypt", "--key", secretKey, "\(name).joined", "-o", "\(name).joined.csv"], in: dir)
    _ = try Self.run(["decrypt", "--key", secretKey, "\(name).scores", "-o", "\(name).whole.csv"], in: dir)
    let joined = try Self.read(dir, "\(name).joined.csv")
    #expect(joined == (try Self.read(dir, "\(name).whole.csv")))
    #expect(String(decoding: joined, as: UTF8.self).split(separator: "\n").count == (name == "b" ? 8501 : 31))

    // Refusals, each naming what is wrong; nothing is written.
    let s = (0..<3).map { Self.shard(name, $0, "scores") }
    for (shards, message) in [
      ([s[0], s[2], s[1]], "the shards are out of order; give them in this order: \(s.joined(separator: " "))"),
      ([s[0], s[2]], "shard 1 is missing (the split made shards 0 to 2)"),
      ([s[0], s[1], s[1], s[2]], "shard 1 is given more than once"),
    ] {
      let result = try CLI.run(["join", "-o", "refused"] + shards, in: dir)
      #expect(result.status != 0 && result.stderr.contains(message), "\(shards): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("refused").path))
    }
    let again = try CLI.run(["split", "--input", "\(name).enc", "--shards", "3", "--output", name], in: dir)
    #expect(again.status != 0 && again.stderr.contains("already exists"))
  }

  @Test("a shard of another file (another encryption of the same rows, same key and header) is refused")
  func foreignShard() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    _ = try Self.run(["split", "--input", "q.enc", "--shards", "3", "--output", "q"], in: dir)
    _ = try Self.run(["split", "--input", "p.enc", "--shards", "3", "--output", "o"], in: dir)
    let result = try CLI.run(["join", "-o", "refused", Self.shard("o", 0), Self.shard("q", 1), Self.shard("o", 2)], in: dir)
    #expect(result.status != 0 && result.stderr.contains("\(Self.shard("q", 1)) is a shard of another file"), "\(result.stderr)")

    // Shards are written all or none: an existing third shard leaves no other.
    try Data("x".utf8).write(to: dir.appendingPathComponent(Self.shard("x", 2)))
    let refused = try CLI.run(["split", "--input", "p.enc", "--shards", "3", "--output", "x"], in: dir)
    #expect(refused.status != 0 && refused.stderr.contains("\(Self.shard("x", 2)) already exists"), "\(refused.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("x-0000") }
    #expect(left == [Self.shard("x", 2)], "\(left)")
  }
}
