import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The modes of written files: secret keys and decrypted results 0600
/// whatever the umask (also when --force replaces a file); every other
/// output 0644 less the umask.
@Suite("hekit file modes", .serialized)
struct FileModeCLITests {
  /// Runs `hekit arguments` under `umask`; expects success.
  static func run(_ arguments: [String], umask: String, in dir: URL) throws {
    let run = try Spawned(arguments, in: dir, shell: "umask \(umask); exec \"$0\" \"$@\"")
    #expect(run.wait(seconds: 120), "\(arguments) hung")
    #expect(run.exitedNormally && run.status == 0, "\(arguments): \(run.stderr)")
  }

  @Test("decrypted outputs are 0600 under any umask, and stay 0600 when --force replaces them", arguments: ["022", "002", "000"])
  func decryptedOutputs(umask: String) throws {
    let dir = try Files.folder("modes")
    defer { try? FileManager.default.removeItem(at: dir) }
    try Files.csv(20, named: "x.csv", in: dir)
    for arguments in [
      ["keygen", "--bits", "2048", "--output", "k"],
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"],
      ["encrypt", "--key", "k.pub.json", "5", "--output", "c.json"],
      ["encrypt", "--key", "k.pub.json", "--input", "x.csv", "--header", "--with-squares", "--output", "r.enc"],
      ["encrypt", "--key", "b.pub", "--input", "x.csv", "--header", "--output", "rb.enc"],
      ["analyze", "--key", "k.pub.json", "--input", "r.enc", "--output", "a.enc"],
    ] {
      try Self.run(arguments, umask: umask, in: dir)
    }
    for name in ["k.key.json", "b.key"] { #expect(Files.mode(name, in: dir) == 0o600, "\(name)") }
    let cases = [
      ["decrypt", "--key", "k.key.json", "c.json", "--output", "d1"],
      ["decrypt", "--key", "k.key.json", "r.enc", "--output", "d2"],
      ["decrypt", "--key", "b.key", "rb.enc", "--output", "d3"],
      ["analyze", "--decrypt", "--key", "k.key.json", "--input", "a.enc", "--output", "d4"],
    ]
    for arguments in cases {
      try Self.run(arguments, umask: umask, in: dir)
      let name = arguments[arguments.count - 1]
      #expect(Files.mode(name, in: dir) == 0o600, "\(arguments) umask \(umask): \(String(Files.mode(name, in: dir) ?? 0, radix: 8))")
      try Self.run(arguments + ["--force"], umask: umask, in: dir)
      #expect(Files.mode(name, in: dir) == 0o600, "\(arguments) --force umask \(umask)")
    }
  }

  @Test("other outputs are 0644 less the umask; secret keys 0600", arguments: ["022", "027", "077"])
  func sharedOutputs(umask: String) throws {
    let dir = try Files.folder("modes")
    defer { try? FileManager.default.removeItem(at: dir) }
    try Files.csv(20, named: "x.csv", in: dir)
    let expected = 0o644 & ~mode_t(umask, radix: 8)!
    try Self.run(["keygen", "--bits", "2048", "--output", "k"], umask: umask, in: dir)
    try Self.run(["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"], umask: umask, in: dir)
    try Self.run(["encrypt", "--key", "k.pub.json", "5", "--output", "c.json"], umask: umask, in: dir)
    try Self.run(["extract", "k.key.json", "--output", "e.json"], umask: umask, in: dir)
    try Self.run(["train", "--kind", "linear", "--input", "x.csv", "--target", "c", "--output", "m.json"], umask: umask, in: dir)
    for name in ["k.pub.json", "b.pub", "c.json", "e.json", "m.json"] {
      #expect(Files.mode(name, in: dir) == expected, "\(name) umask \(umask): \(String(Files.mode(name, in: dir) ?? 0, radix: 8))")
    }
    for name in ["k.key.json", "b.key"] { #expect(Files.mode(name, in: dir) == 0o600, "\(name)") }
  }
}
