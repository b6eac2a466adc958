import Foundation

/// Runs the built `hekit` binary (next to the test bundle) with `arguments`,
/// returning its exit status, standard output and standard error.
struct CLIResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum CLI {
  static var executable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // On Apple platforms the test bundle sits inside a .xctest folder.
    while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
      || directory.lastPathComponent == "Contents"
    {
      directory.deleteLastPathComponent()
    }
    return directory.appendingPathComponent("hekit")
  }

  /// - Parameter environment: variables set (or replaced) for this run only.
  static func run(
    _ arguments: [String], stdin: Data? = nil, in directory: URL? = nil, environment extra: [String: String] = [:]
  ) throws -> CLIResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    // Both NTT kernels give identical results (PolyRing's tests compare them);
    // skipping the per-process timing of the two saves a large share of every
    // BFV command's start-up in a debug build. An explicit choice is kept.
    var environment = ProcessInfo.processInfo.environment
    if environment["HEKIT_NTT_KERNEL"] == nil { environment["HEKIT_NTT_KERNEL"] = "scalar" }
    // Neither a tuning profile in the user's home (hekit bench --tune) nor the
    // user's variables may change what the tests see; tests that need one name it.
    environment["HEKIT_TUNING"] = "off"
    for key in ["HEKIT_THREADS", "HEKIT_PAILLIER_WINDOW", "HEKIT_PROGRESS"] { environment[key] = nil }
    environment.merge(extra) { _, new in new }
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Drain stderr on another thread while reading stdout, so a chatty child
    // cannot block on a full pipe.
    nonisolated(unsafe) var errBytes = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errBytes = err.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return CLIResult(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errBytes, as: UTF8.self))
  }
}
