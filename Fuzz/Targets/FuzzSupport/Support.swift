@_exported import CFuzzDriver
import Foundation

/// Runs libFuzzer on `body` with the process's arguments (`-max_total_time=…`,
/// a corpus folder, …). When `HEKIT_FUZZ_SEEDS` names a folder, writes
/// `seeds()` there instead and exits: how `make fuzz` makes the seed corpus of
/// readers whose valid inputs are easier to produce than to commit.
public func runFuzzer(
  seeds: () throws -> [(String, [UInt8])] = { [] },
  _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> Never {
  if let folder = ProcessInfo.processInfo.environment["HEKIT_FUZZ_SEEDS"] {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      for (name, bytes) in try seeds() {
        try Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
      }
      exit(0)
    } catch {
      FileHandle.standardError.write(Data("cannot write seeds: \(error)\n".utf8))
      exit(1)
    }
  }
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// The fuzzer's input as bytes (empty for a null pointer).
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
  guard let data, size > 0 else { return [] }
  return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the run when a reader throws something other than its typed error:
/// every reader promises one error type, and anything else is a bug.
public func expectTyped<E: Error>(_ type: E.Type, _ body: () throws -> Void) {
  do {
    try body()
  } catch is E {
  } catch {
    fatalError("untyped error \(error) (\(Swift.type(of: error)))")
  }
}
