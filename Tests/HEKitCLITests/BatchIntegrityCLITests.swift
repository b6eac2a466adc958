import Foundation
import Synchronization
import Testing

/// Issue 18, cases 3 and 4: batch files cut at a line boundary, joined, or
/// with lines spliced in from another key or header, through the command
/// line. Every refusal exits non-zero, to a file or to standard output.
@Suite("hekit batch-file integrity", .serialized)
struct BatchIntegrityCLITests {
  /// A workspace with Paillier keys `k`, BFV keys `b` and `c` (same
  /// parameters, different keys), `d.csv` (20 rows of a, b), a linear model
  /// over a and b, and `d.csv` encrypted under each key.
  static let workspace: Result<URL, any Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-integrity-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let rows = (1...20).map { "\($0),\(Double($0) / 4)" }.joined(separator: "\n")
    try ("a,b\n" + rows + "\n").write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    try #"{"kind": "linear", "features": ["a", "b"], "weights": [0.5, -2], "intercept": 1}"#
      .write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
    for arguments in [
      ["keygen", "--bits", "2048", "--output", "k"],
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"],
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "c"],
      ["encrypt", "--key", "k.pub.json", "--input", "d.csv", "--header", "-o", "p.enc"],
      ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "p.enc", "-o", "ps.enc"],
      ["encrypt", "--key", "b.pub", "--input", "d.csv", "--header", "-o", "b.enc"],
      ["encrypt", "--key", "c.pub", "--input", "d.csv", "--header", "-o", "c.enc"],
      ["score", "--model", "m.json", "--key", "b.pub", "--input", "b.enc", "-o", "bs.enc"],
      ["score", "--model", "m.json", "--key", "c.pub", "--input", "c.enc", "-o", "cs.enc"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["setup": "\(arguments): \(result.stderr)"]) }
    }
    return dir
  }

  /// Test cases run so far; the last one removes the workspace.
  static let finished = Atomic<Int>(0)
  static let cases = 4

  static func done() {
    if finished.add(1, ordering: .relaxed).newValue == cases, let dir = try? workspace.get() {
      try? FileManager.default.removeItem(at: dir)
    }
  }

  static func lines(_ dir: URL, _ name: String) throws -> [String] {
    try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map(String.init)
  }

  static func write(_ dir: URL, _ name: String, _ lines: [String]) throws {
    try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  @Test("Paillier: header + 10 of 20 records, no trailer, a lying trailer or a joined file are refused by decrypt, score and inspect")
  func paillierTruncated() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    let whole = try Self.lines(dir, "p.enc")
    try #require(whole.count == 22)
    #expect(whole[21] == #"{"trailer": "hekit-paillier-batch", "records": 20, "lines": 20}"#)
    // Cut at a line boundary: header + 10 of 20 records.
    try Self.write(dir, "p10.enc", Array(whole.prefix(11)))
    for arguments in [
      ["decrypt", "--key", "k.key.json", "p10.enc"],
      ["decrypt", "--key", "k.key.json", "p10.enc", "-o", "out.csv"],
      ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "p10.enc"],
      ["inspect", "p10.enc"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 1, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains("p10.enc is truncated: no trailer"), "\(arguments): \(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.csv").path))
    // The same cut, with the trailer kept: the counts differ.
    try Self.write(dir, "p10t.enc", Array(whole.prefix(11)) + [whole[21]])
    let counted = try CLI.run(["decrypt", "--key", "k.key.json", "p10t.enc"], in: dir)
    #expect(counted.status == 1 && counted.stderr.contains("p10t.enc is truncated: 10 records of 20"), "\(counted.stderr)")
    // Two files joined: a line after the trailer.
    try Self.write(dir, "joined.enc", whole + whole.dropFirst())
    let joined = try CLI.run(["decrypt", "--key", "k.key.json", "joined.enc"], in: dir)
    #expect(joined.status == 1 && joined.stderr.contains("line 23: a line after the trailer"), "\(joined.stderr)")
    // Scores: written with a trailer, checked by decrypt.
    let scores = try Self.lines(dir, "ps.enc")
    #expect(scores.last == #"{"trailer": "hekit-paillier-batch", "records": 20, "lines": 20}"#)
    try Self.write(dir, "ps10.enc", Array(scores.prefix(11)))
    let cutScores = try CLI.run(["decrypt", "--key", "k.key.json", "ps10.enc"], in: dir)
    #expect(cutScores.status == 1 && cutScores.stderr.contains("ps10.enc is truncated"), "\(cutScores.stderr)")
    // A scored stream's output ends with its trailer, also on stdout.
    let piped = try CLI.run(["score", "--model", "m.json", "--key", "k.pub.json", "--input", "-"], stdin: Data(try String(contentsOf: dir.appendingPathComponent("p.enc"), encoding: .utf8).utf8), in: dir)
    #expect(piped.status == 0 && piped.stdout.hasSuffix(#"{"trailer": "hekit-paillier-batch", "records": 20, "lines": 20}"# + "\n"))
    let whole2 = try CLI.run(["inspect", "p.enc"], in: dir)
    #expect(whole2.status == 0 && whole2.stdout.contains("present, counts match"))
  }

  @Test("Paillier version-1 files (no trailer) are still read, with a warning")
  func paillierVersion1() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    var lines = try Self.lines(dir, "p.enc")
    try #require(lines.count == 22)
    lines[0] = lines[0].replacingOccurrences(of: #""version": 2"#, with: #""version": 1"#)
    try Self.write(dir, "v1.enc", Array(lines.dropLast()))
    let result = try CLI.run(["decrypt", "--key", "k.key.json", "v1.enc"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.split(separator: "\n").count == 21)
    #expect(result.stderr.contains("v1.enc is a version-1 batch file, which has no trailer"), "\(result.stderr)")
  }

  @Test("BFV: no trailer, a lying trailer, a repeated line: refused by score, decrypt and inspect; stdout too")
  func bfvTruncated() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    let records = try Self.lines(dir, "b.enc")
    try #require(records.count == 3)
    #expect(records[2] == #"{"trailer": "hekit-bfv-records", "records": 20, "lines": 1}"#)
    let scores = try Self.lines(dir, "bs.enc")
    try #require(scores.count == 3)
    #expect(scores[2] == #"{"trailer": "hekit-bfv-scores", "records": 20, "lines": 1}"#)
    try Self.write(dir, "bcut.enc", Array(records.prefix(2)))
    try Self.write(dir, "bscut.enc", Array(scores.prefix(2)))
    try Self.write(dir, "blie.enc", Array(records.prefix(2)) + [#"{"trailer": "hekit-bfv-records", "records": 40, "lines": 2}"#])
    try Self.write(dir, "btwice.enc", Array(records.prefix(2)) + [records[1], records[2]])
    let cases: [([String], String)] = [
      (["score", "--model", "m.json", "--key", "b.pub", "--input", "bcut.enc"], "bcut.enc is truncated: no trailer"),
      (["score", "--model", "m.json", "--key", "b.pub", "--input", "bcut.enc", "-o", "out.enc"], "bcut.enc is truncated: no trailer"),
      (["decrypt", "--key", "b.key", "bscut.enc"], "bscut.enc is truncated: no trailer"),
      (["decrypt", "--key", "b.key", "bcut.enc"], "bcut.enc is truncated: no trailer"),
      (["inspect", "bscut.enc"], "bscut.enc is truncated: no trailer"),
      (["decrypt", "--key", "b.key", "blie.enc"], "blie.enc is truncated: 20 records of 40"),
      (["decrypt", "--key", "b.key", "btwice.enc"], "btwice.enc holds 40 records in 2 lines where its trailer says 20 in 1"),
    ]
    for (arguments, message) in cases {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 1, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
      // What went to stdout carries no trailer: the next reader refuses it too.
      #expect(!result.stdout.contains("\"trailer\""), "\(arguments)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.enc").path))
    let whole = try CLI.run(["inspect", "bs.enc"], in: dir)
    #expect(whole.status == 0 && whole.stdout.contains("present, counts match"), "\(whole.stderr)")
  }

  /// A batch line with its binding (bytes 16..<32) replaced by that of `other`.
  static func rebound(_ line: String, like other: String) -> String {
    var bytes = [UInt8](Data(base64Encoded: line)!)
    let binding = [UInt8](Data(base64Encoded: other)!)[16..<32]
    bytes.replaceSubrange(16..<32, with: binding)
    return Data(bytes).base64EncodedString()
  }

  @Test("BFV: a records or scores line of key c spliced under key b's header is refused, with or without a forged binding")
  func bfvSpliced() throws {
    let dir = try Self.workspace.get()
    defer { Self.done() }
    let (b, c) = (try Self.lines(dir, "b.enc"), try Self.lines(dir, "c.enc"))
    let (bs, cs) = (try Self.lines(dir, "bs.enc"), try Self.lines(dir, "cs.enc"))
    try #require([b, c, bs, cs].allSatisfy { $0.count >= 2 }, "a header and one batch line")
    // Spliced as is: the binding names another header.
    try Self.write(dir, "splice.enc", [b[0], c[1]] + b.dropFirst(2))
    try Self.write(dir, "ssplice.enc", [bs[0], cs[1]] + bs.dropFirst(2))
    // With the binding forged to match: the decrypted values lie outside what the header declares.
    try Self.write(dir, "forged.enc", [b[0], Self.rebound(c[1], like: b[1])] + b.dropFirst(2))
    try Self.write(dir, "sforged.enc", [bs[0], Self.rebound(cs[1], like: bs[1])] + bs.dropFirst(2))
    let cases: [([String], [String])] = [
      (["score", "--model", "m.json", "--key", "b.pub", "--input", "splice.enc", "-o", "out.enc"], ["splice.enc, line 2", "belongs to another file"]),
      (["decrypt", "--key", "b.key", "splice.enc"], ["splice.enc, line 2", "belongs to another file"]),
      (["decrypt", "--key", "b.key", "ssplice.enc", "-o", "out.csv"], ["ssplice.enc, line 2", "belongs to another file"]),
      (["inspect", "ssplice.enc"], ["ssplice.enc, line 2", "belongs to another file"]),
      (["decrypt", "--key", "b.key", "forged.enc"], ["forged.enc, line 2", "outside the declared range"]),
      (["decrypt", "--key", "b.key", "sforged.enc"], ["sforged.enc, line 2", "outside ±2^", "score"]),
    ]
    for (arguments, words) in cases {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 1, "\(arguments): \(result.stderr)")
      for word in words { #expect(result.stderr.contains(word), "\(arguments): '\(word)' not in \(result.stderr)") }
      #expect(!result.stdout.contains("e+"), "\(arguments): printed garbage \(result.stdout.prefix(200))")
    }
    // The honest files still decrypt.
    let honest = try CLI.run(["decrypt", "--key", "b.key", "bs.enc"], in: dir)
    #expect(honest.status == 0 && honest.stdout.hasPrefix("score\n"), "\(honest.stderr)")
  }
}
