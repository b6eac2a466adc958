import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Faults while writing: a full device, an unwritable place, an interrupt.
/// None may leave a partial or temporary file, or touch the input.
@Suite("hekit under faults", .serialized)
struct FaultCLITests {
  /// A folder with a 2048-bit public key and a small CSV.
  static func setUp() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-faults-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let keygen = try CLI.run(["keygen", "--bits", "2048", "--output", "k"], in: dir)
    #expect(keygen.status == 0, "\(keygen.stderr)")
    var csv = "a,b,c\n"
    for i in 0..<400 { csv += "\(i),\(Double(i) * 0.5),\(-i)\n" }
    try csv.write(to: dir.appendingPathComponent("data.csv"), atomically: true, encoding: .utf8)
    return dir
  }

  static func leftovers(in dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp-") || $0.hasPrefix("out") }
  }

  @Test("output to a full device: a clear error, non-zero exit, the device left as it was")
  func fullDevice() throws {
    guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try CLI.run(["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--header", "--output", "/dev/full"], in: dir)
    #expect(result.status != 0)
    #expect(result.stderr.contains("/dev/full") && result.stderr.lowercased().contains("space"), "\(result.stderr)")
    var status = stat()
    #expect(stat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)  // still a device
    #expect(try Self.leftovers(in: dir).isEmpty)
  }

  @Test("BFV output to a full device: encrypt and decrypt fail with a clear error, nothing left")
  func fullDeviceBFV() throws {
    guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try CLI.run(["keygen", "--scheme", "bfv", "--output", "b"], in: dir).status == 0)
    #expect(try CLI.run(["encrypt", "--key", "b.pub", "--input", "data.csv", "--header", "--output", "b.enc"], in: dir).status == 0)
    for arguments in [
      ["encrypt", "--key", "b.pub", "--input", "data.csv", "--header", "--output", "/dev/full"],
      ["decrypt", "--key", "b.key", "b.enc", "--output", "/dev/full"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status != 0, "\(arguments)")
      #expect(result.stderr.contains("/dev/full") && result.stderr.lowercased().contains("space"), "\(arguments): \(result.stderr)")
    }
    #expect(try Self.leftovers(in: dir).isEmpty)
  }

  @Test("output where nothing can be created: a clear error naming the place, nothing left")
  func unwritable() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    // A regular file used as a folder fails for every user, root included.
    let result = try CLI.run(["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--header", "--output", "data.csv/out.enc"], in: dir)
    #expect(result.status != 0)
    #expect(result.stderr.contains("cannot create a file in"), "\(result.stderr)")
    // A read-only folder: mode 0555 binds other users; root is bound only by
    // an immutable folder (chattr +i), where the file system and the
    // process's capabilities allow one.
    let locked = dir.appendingPathComponent("locked")
    try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
    let immutable = geteuid() == 0 && Self.chattr("+i", locked)
    defer { if immutable { _ = Self.chattr("-i", locked) } }
    guard geteuid() != 0 || immutable else { return }
    for arguments in [
      ["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--header", "--output", "locked/out.enc"],
      ["keygen", "--bits", "2048", "--output", "locked/k2"],
    ] {
      let denied = try CLI.run(arguments, in: dir)
      #expect(denied.status != 0 && denied.stderr.contains("cannot create a file in"), "\(arguments): \(denied.stderr)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: locked.path).isEmpty)
    }
  }

  /// Runs chattr (`+i` / `-i`) on `url`; whether it succeeded.
  static func chattr(_ flag: String, _ url: URL) -> Bool {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr") else { return false }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
    process.arguments = [flag, url.path]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  @Test("an interrupt mid-way leaves neither the output nor its temporary file, and the input intact")
  func interrupt() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = try Data(contentsOf: dir.appendingPathComponent("data.csv"))
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = ["encrypt", "--key", "k.pub.json", "--input", "data.csv", "--header", "--mode", "standard", "--output", "out.enc"]
    process.currentDirectoryURL = dir
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until the temporary file exists: the command is writing.
    let deadline = Date().addingTimeInterval(60)
    while try Self.leftovers(in: dir).isEmpty && process.isRunning && Date() < deadline { usleep(20_000) }
    #expect(process.isRunning, "the command finished before it could be interrupted")
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
    let left = try Self.leftovers(in: dir)
    #expect(left.isEmpty, "left: \(left)")
    #expect(try Data(contentsOf: dir.appendingPathComponent("data.csv")) == input)
  }
}
