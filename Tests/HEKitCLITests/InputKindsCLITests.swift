import Foundation
import Testing

/// Every input path of every command, given as something other than a
/// regular file: a directory (refused by name, never a crash), a pipe from
/// process substitution, a FIFO and stdin (read once, like a file).
@Suite("hekit inputs: directories, pipes, FIFOs, stdin", .serialized)
struct InputKindsCLITests {
  /// Paillier and BFV keys, a model, ciphertexts, batch files and a folder `d`.
  static func setUp() throws -> URL {
    let dir = try Files.folder("inputs")
    try Files.csv(40, named: "x.csv", in: dir)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("d"), withIntermediateDirectories: false)
    for arguments in [
      ["keygen", "--bits", "2048", "--output", "k"],
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"],
      ["train", "--kind", "linear", "--input", "x.csv", "--target", "c", "--output", "m.json"],
      ["encrypt", "--key", "k.pub.json", "5", "--output", "c.json"],
      ["encrypt", "--key", "k.pub.json", "--input", "x.csv", "--header", "--with-squares", "--output", "r.enc"],
      ["encrypt", "--key", "b.pub", "--input", "x.csv", "--header", "--output", "rb.enc"],
      ["analyze", "--key", "k.pub.json", "--input", "r.enc", "--output", "a.enc"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
    return dir
  }

  /// Each command with `d` (a folder) where a file is expected.
  static let directoryCases: [[String]] = [
    ["encrypt", "--key", "d", "5"],
    ["encrypt", "--key", "k.pub.json", "--input", "d", "--header"],
    ["encrypt", "--key", "b.pub", "--input", "d", "--header"],
    ["encrypt", "--key", "b.pub", "--input", "x.csv", "--header", "--ranges-from", "d"],
    ["encrypt", "--key", "k.pub.json", "--input", "x.csv", "--header", "--output", "d"],
    ["decrypt", "--key", "d", "c.json"],
    ["decrypt", "--key", "k.key.json", "d"],
    ["decrypt", "--key", "b.key", "d"],
    ["score", "--model", "d", "--key", "k.pub.json", "--input", "r.enc"],
    ["score", "--model", "m.json", "--key", "d", "--input", "r.enc"],
    ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "d"],
    ["score", "--model", "d", "--key", "b.pub", "--input", "rb.enc"],
    ["score", "--model", "m.json", "--key", "b.pub", "--input", "d"],
    ["inspect", "d"],
    ["extract", "d"],
    ["add", "--key", "d", "c.json", "c.json"],
    ["add", "--key", "k.pub.json", "d", "c.json"],
    ["add", "--key", "k.pub.json", "c.json", "d"],
    ["multiply", "--key", "k.pub.json", "d", "3"],
    ["multiply", "--key", "d", "c.json", "3"],
    ["analyze", "--key", "d", "--input", "r.enc"],
    ["analyze", "--key", "k.pub.json", "--input", "d"],
    ["analyze", "--decrypt", "--key", "d", "--input", "a.enc"],
    ["analyze", "--decrypt", "--key", "k.key.json", "--input", "d"],
    ["train", "--input", "d", "--target", "c", "--output", "m2.json"],
    ["demo", "--data", "d", "--scheme", "paillier", "--bits", "2048"],
  ]

  @Test("a directory where a file is expected: exit 1 and 'd is a directory, not a file', for every command and path")
  func directories() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    for arguments in Self.directoryCases {
      let run = try Spawned(arguments, in: dir)
      #expect(run.wait(seconds: 120), "\(arguments) hung")
      #expect(run.exitedNormally && run.status == 1, "\(arguments): status \(run.status), \(run.stderr)")
      #expect(run.stderr.contains("d is a directory, not a file"), "\(arguments): \(run.stderr)")
      #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("crashed"), "\(arguments): \(run.stderr)")
      #expect(try Files.temporaries(in: dir).isEmpty)
    }
  }

  @Test("a directory as the tuning profile, the benchmark's output or the key files' name: refused")
  func directoryProfileAndReport() throws {
    let dir = try Files.folder("inputs-bench")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("d"), withIntermediateDirectories: false)
    let profile = try CLI.run(["inspect", "d"], in: dir, environment: ["HEKIT_TUNING": dir.appendingPathComponent("d").path])
    #expect(profile.status == 1 && profile.stderr.contains("d is a directory, not a file"), "\(profile.stderr)")
    let report = try CLI.run(["bench", "--output", "d"], in: dir)
    #expect(report.status == 1 && report.stderr.contains("d is a directory, not a file"), "\(report.stderr)")
    let keys = try CLI.run(["keygen", "--bits", "2048", "--output", "d/"], in: dir)
    #expect(keys.status == 64 && keys.stderr.contains("not a directory"), "\(keys.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("d").path).isEmpty)
  }

  /// Commands whose key (and model) come through `<(cat FILE)`: a pipe.
  static let pipeCases: [[String]] = [
    ["encrypt", "--key", "<k.pub.json", "5"],
    ["encrypt", "--key", "<k.pub.json", "--input", "<x.csv", "--header"],
    ["encrypt", "--key", "<b.pub", "--input", "x.csv", "--header"],
    ["encrypt", "--key", "<b.key", "--input", "<x.csv", "--header", "--ranges-from", "<x.csv"],
    ["decrypt", "--key", "<k.key.json", "<c.json"],
    ["decrypt", "--key", "<k.key.json", "r.enc"],
    ["decrypt", "--key", "<b.key", "<rb.enc"],
    ["score", "--model", "<m.json", "--key", "<k.pub.json", "--input", "<r.enc"],
    ["score", "--model", "<m.json", "--key", "<b.pub", "--input", "<rb.enc"],
    ["extract", "<k.key.json"],
    ["add", "--key", "<k.pub.json", "<c.json", "<c.json"],
    ["multiply", "--key", "<k.pub.json", "<c.json", "3"],
    ["analyze", "--key", "<k.pub.json", "--input", "<r.enc"],
    ["analyze", "--decrypt", "--key", "<k.key.json", "--input", "<a.enc"],
    ["inspect", "<b.pub"],
    ["inspect", "<k.key.json"],
    ["train", "--kind", "linear", "--input", "<x.csv", "--target", "c", "--output", "m3.json", "--force"],
  ]

  @Test("keys, models and inputs through process substitution (a pipe) work as files do, for every command")
  func processSubstitution() throws {
    guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    for arguments in Self.pipeCases {
      // "<FILE" becomes <(cat FILE) in bash.
      let words = arguments.map { $0.hasPrefix("<") ? "<(cat \($0.dropFirst()))" : "'\($0)'" }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = ["-c", "exec \"$0\" " + words.joined(separator: " ") + " >/dev/null", CLI.executable.path]
      process.currentDirectoryURL = dir
      process.environment = ProcessInfo.processInfo.environment.merging(
        ["HEKIT_TUNING": "off", "HEKIT_NTT_KERNEL": "scalar"]) { _, new in new }
      let err = Pipe()
      process.standardError = err
      try process.run()
      let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(arguments): \(message)")
    }
  }

  @Test("a key read from a FIFO is opened and read once: no hang, for both schemes")
  func fifoKeys() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    for (key, arguments) in [
      ("k.pub.json", ["encrypt", "--key", "fifo", "5"]),
      ("k.key.json", ["decrypt", "--key", "fifo", "c.json"]),
      ("b.pub", ["encrypt", "--key", "fifo", "--input", "x.csv", "--header"]),
      ("b.key", ["decrypt", "--key", "fifo", "rb.enc"]),
      ("b.pub", ["score", "--model", "m.json", "--key", "fifo", "--input", "rb.enc"]),
    ] {
      let fifo = dir.appendingPathComponent("fifo").path
      unlink(fifo)
      #expect(mkfifo(fifo, 0o600) == 0)
      // The writer opens the FIFO once, as a producer would, and ends.
      let writer = try Spawned([], in: dir, shell: "cat \(key) > fifo")
      let run = try Spawned(arguments, in: dir)
      #expect(run.wait(seconds: 60), "\(arguments) hung on a FIFO key")
      #expect(run.exitedNormally && run.status == 0, "\(arguments): \(run.stderr)")
      if !writer.wait(seconds: 5) { Issue.record("the FIFO's writer never finished") }
    }
  }

  @Test("a key on standard input (-) works for both schemes")
  func stdinKeys() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    for (key, arguments) in [
      ("k.pub.json", ["encrypt", "--key", "-", "5"]),
      ("b.pub", ["encrypt", "--key", "-", "--input", "x.csv", "--header"]),
      ("b.key", ["decrypt", "--key", "-", "rb.enc"]),
    ] {
      let bytes = try Data(contentsOf: dir.appendingPathComponent(key))
      let result = try CLI.run(arguments, stdin: bytes, in: dir)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
  }
}
