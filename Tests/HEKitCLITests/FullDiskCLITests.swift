import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A full disk, simulated portably with a file size limit (`ulimit -f 0`:
/// every write to a file fails with EFBIG) and with /dev/full on standard
/// output: every command fails with a clear message and leaves no output,
/// no temporary file, and its inputs as they were.
@Suite("hekit on a full disk", .serialized)
struct FullDiskCLITests {
  /// Inputs of every command: keys of both schemes, a model, ciphertexts, batch files.
  static func setUp() throws -> URL {
    let dir = try Files.folder("full")
    try Files.csv(40, named: "x.csv", in: dir)
    for arguments in [
      ["keygen", "--bits", "2048", "--output", "k"],
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"],
      ["train", "--kind", "linear", "--input", "x.csv", "--target", "c", "--output", "m.json"],
      ["encrypt", "--key", "k.pub.json", "5", "--output", "c.json"],
      ["encrypt", "--key", "k.pub.json", "--input", "x.csv", "--header", "--output", "r.enc"],
      ["encrypt", "--key", "b.pub", "--input", "x.csv", "--header", "--output", "rb.enc"],
      ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "r.enc", "--output", "s.enc"],
      ["score", "--model", "m.json", "--key", "b.pub", "--input", "rb.enc", "--output", "sb.enc"],
      ["analyze", "--key", "k.pub.json", "--input", "r.enc", "--output", "a.enc"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
    return dir
  }

  /// Every command that writes a file, writing `out` (or out.pub/out.key).
  static let writers: [[String]] = [
    ["keygen", "--bits", "2048", "--output", "out"],
    ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "out"],
    ["extract", "k.key.json", "--output", "out"],
    ["encrypt", "--key", "k.pub.json", "5", "--output", "out"],
    ["encrypt", "--key", "k.pub.json", "--input", "x.csv", "--header", "--output", "out"],
    ["encrypt", "--key", "b.pub", "--input", "x.csv", "--header", "--output", "out"],
    ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "r.enc", "--output", "out"],
    ["score", "--model", "m.json", "--key", "b.pub", "--input", "rb.enc", "--output", "out"],
    ["decrypt", "--key", "k.key.json", "c.json", "--output", "out"],
    ["decrypt", "--key", "k.key.json", "s.enc", "--output", "out"],
    ["decrypt", "--key", "b.key", "sb.enc", "--output", "out"],
    ["add", "--key", "k.pub.json", "c.json", "c.json", "--output", "out"],
    ["multiply", "--key", "k.pub.json", "c.json", "3", "--output", "out"],
    ["train", "--kind", "linear", "--input", "x.csv", "--target", "c", "--output", "out"],
    ["analyze", "--key", "k.pub.json", "--input", "r.enc", "--output", "out"],
    ["analyze", "--decrypt", "--key", "k.key.json", "--input", "a.enc", "--output", "out"],
    ["bench", "--scheme", "paillier", "--bits", "2048", "--seconds", "0.1", "--output", "out"],
  ]

  static func leftovers(in dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp-") || $0.hasPrefix("out") }
  }

  @Test("with writes failing (EFBIG, SIGXFSZ ignored): exit 1, 'cannot write', nothing left, inputs unchanged")
  func fileSizeLimit() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inputs = try Files.snapshot(dir)
    for arguments in Self.writers {
      let run = try Spawned(arguments, in: dir, shell: "ulimit -f 0; trap '' XFSZ; exec \"$0\" \"$@\"")
      #expect(run.wait(seconds: 120), "\(arguments) hung")
      #expect(run.exitedNormally && run.status == 1, "\(arguments): \(run.process.terminationReason) \(run.status)")
      #expect(run.stderr.contains("cannot write out") && run.stderr.contains("File too large"), "\(arguments): \(run.stderr)")
      let left = try Self.leftovers(in: dir)
      #expect(left.isEmpty, "\(arguments): \(left)")
    }
    #expect(try Files.snapshot(dir) == inputs)
  }

  @Test("with writes raising SIGXFSZ (its default): the command dies by it and leaves nothing")
  func fileSizeSignal() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inputs = try Files.snapshot(dir)
    for arguments in Self.writers {
      let run = try Spawned(arguments, in: dir, shell: "ulimit -f 0; exec \"$0\" \"$@\"")
      #expect(run.wait(seconds: 120), "\(arguments) hung")
      #expect(run.killed(by: SIGXFSZ), "\(arguments): \(run.process.terminationReason) \(run.status) \(run.stderr)")
      let left = try Self.leftovers(in: dir)
      #expect(left.isEmpty, "\(arguments): \(left)")
    }
    #expect(try Files.snapshot(dir) == inputs)
  }

  @Test("standard output on a full device: exit 1 with 'cannot write standard output', for every command that prints")
  func fullStandardOutput() throws {
    guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inputs = try Files.snapshot(dir)
    for arguments in [
      ["decrypt", "--key", "k.key.json", "c.json"],
      ["decrypt", "--key", "k.key.json", "s.enc"],
      ["decrypt", "--key", "b.key", "sb.enc"],
      ["encrypt", "--key", "b.pub", "--input", "x.csv", "--header"],
      ["extract", "k.key.json"],
      ["inspect", "k.pub.json"],
      ["analyze", "--decrypt", "--key", "k.key.json", "--input", "a.enc"],
    ] {
      let run = try Spawned(arguments, in: dir, shell: "exec \"$0\" \"$@\" >/dev/full")
      #expect(run.wait(seconds: 120), "\(arguments) hung")
      #expect(run.exitedNormally && run.status == 1, "\(arguments): \(run.process.terminationReason) \(run.status) \(run.stderr)")
      #expect(run.stderr.contains("cannot write standard output: No space left on device"), "\(arguments): \(run.stderr)")
      #expect(!run.stderr.contains("Fatal error"), "\(arguments): \(run.stderr)")
    }
    #expect(try Files.snapshot(dir) == inputs)
  }
}
