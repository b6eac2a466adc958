import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A `hekit` (or shell) process started without waiting for it, with
/// bounded waits, for tests of signals, concurrency and hangs.
final class Spawned: @unchecked Sendable {  // the byte buffers are read only after `drained`
  let process = Process()
  private let errPipe = Pipe()
  private let outPipe = Pipe()
  private let drained = DispatchGroup()
  private var errBytes = Data()
  private var outBytes = Data()

  /// Starts `hekit arguments` in `directory`; with `shell`, runs
  /// `/bin/sh -c shell` with `$0` the hekit binary and `$@` the arguments.
  init(_ arguments: [String], in directory: URL, shell: String? = nil) throws {
    if let shell {
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments = ["-c", shell, CLI.executable.path] + arguments
    } else {
      process.executableURL = CLI.executable
      process.arguments = arguments
    }
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    if environment["HEKIT_NTT_KERNEL"] == nil { environment["HEKIT_NTT_KERNEL"] = "scalar" }
    environment["HEKIT_TUNING"] = "off"
    for key in ["HEKIT_THREADS", "HEKIT_PAILLIER_WINDOW", "HEKIT_PROGRESS"] { environment[key] = nil }
    process.environment = environment
    process.standardError = errPipe
    process.standardOutput = outPipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    for (pipe, isError) in [(errPipe, true), (outPipe, false)] {
      drained.enter()
      DispatchQueue.global().async { [self] in
        let bytes = pipe.fileHandleForReading.readDataToEndOfFile()
        if isError { errBytes = bytes } else { outBytes = bytes }
        drained.leave()
      }
    }
  }

  var pid: pid_t { process.processIdentifier }

  /// Waits up to `seconds` for the process to end; kills it (SIGKILL) and
  /// returns false when it does not.
  @discardableResult
  func wait(seconds: Double = 120) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      kill(pid, SIGKILL)
      process.waitUntilExit()
      _ = drained.wait(timeout: .now() + 5)
      return false
    }
    process.waitUntilExit()
    _ = drained.wait(timeout: .now() + 5)
    return true
  }

  var stderr: String { String(decoding: errBytes, as: UTF8.self) }
  var stdout: String { String(decoding: outBytes, as: UTF8.self) }
  var exitedNormally: Bool { process.terminationReason == .exit }
  var status: Int32 { process.terminationStatus }
  /// Whether the process was ended by `signal`.
  func killed(by signal: Int32) -> Bool { process.terminationReason == .uncaughtSignal && process.terminationStatus == signal }
}

enum Files {
  /// A fresh folder for one test.
  static func folder(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// A CSV with a header line a,b,c and `rows` records.
  static func csv(_ rows: Int, named name: String, in dir: URL) throws {
    var text = "a,b,c\n"
    text.reserveCapacity(rows * 24)
    for i in 0..<rows { text += "\(i),\(Double(i) * 0.5),\(-i)\n" }
    try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  /// The names in `dir` of HEKit temporary files (any generation's naming).
  static func temporaries(in dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp-") }
  }

  /// Every file's name and contents in `dir`.
  static func snapshot(_ dir: URL) throws -> [String: Data] {
    var all: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
      var isFolder: ObjCBool = false
      let url = dir.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
        all[name] = try Data(contentsOf: url)
      }
    }
    return all
  }

  /// The permission bits of `name` in `dir`.
  static func mode(_ name: String, in dir: URL) -> mode_t? {
    var status = stat()
    guard stat(dir.appendingPathComponent(name).path, &status) == 0 else { return nil }
    return status.st_mode & 0o777
  }

  /// Waits up to `seconds` for `condition`; whether it held.
  static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try condition() { return true }
      usleep(20_000)
    }
    return try condition()
  }
}
