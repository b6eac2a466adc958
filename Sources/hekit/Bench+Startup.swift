import ArgumentParser
import Foundation
import HEKit

/// What the startup applied: the tuning profile read (if any) and the settings
/// in force. Commands read their profile-dependent defaults from it
/// (`hekit keygen --scheme bfv` without `--preset` takes the profile's BFV preset).
nonisolated(unsafe) var appliedTuning: TuningProfile.Applied?

extension HEKitCommand {
  /// The entry point: installs the signal handlers (``SignalCleanup``), applies the tuning profile (and the `HEKIT_THREADS`,
  /// `HEKIT_PAILLIER_WINDOW` overrides) before any command runs, then parses
  /// and runs the command as `ParsableCommand.main()` does.
  ///
  /// A profile or variable that does not check stops every command with a
  /// message naming it and exit status 1, except `hekit bench`, which warns
  /// and runs with the defaults (`hekit bench --tune` rewrites the profile).
  static func main() {
    if let name = ProcessInfo.processInfo.environment["HEKIT_NTT_KERNEL"], !name.isEmpty {
      guard let kernel = NTTKernel(rawValue: name) else {
        FileHandle.standardError.write(Data("Error: HEKIT_NTT_KERNEL=\(name) is not a kernel (scalar or simd8)\n".utf8))
        Foundation.exit(1)
      }
      NTTKernel.prefer(kernel)
    }
    // Before any thread starts: the umask is read by setting it, and the
    // signal handlers must be in place before any output file exists.
    OutputAccess.readUmask()
    SignalCleanup.install()
    do {
      appliedTuning = try TuningProfile.applyFromEnvironment()
    } catch {
      if CommandLine.arguments.dropFirst().first == "bench" {
        FileHandle.standardError.write(Data("warning: \(error.description); running with the defaults\n".utf8))
      } else {
        FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
        Foundation.exit(1)
      }
    }
    let arguments = Array(CommandLine.arguments.dropFirst())
    var command: ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      if !(error is CleanExit), let (number, option) = negativeNumber(in: arguments) {
        if let option {
          exit(withError: ValidationError("'\(number)' after \(option) reads as an option: write \(option)=\(number)"))
        }
        exit(withError: ValidationError(
          "'\(number)' reads as an option: put \"--\" before a negative number (hekit encrypt --key KEY -- \(number))"))
      }
      exit(withError: error)
    }
    do {
      try command.run()
    } catch {
      exit(withError: withCommandLineAdvice(error))
    }
    // What print() buffered: a full disk or a closed pipe fails the command.
    if fflush(nil) != 0 {
      FileHandle.standardError.write(Data("Error: cannot write standard output: \(String(cString: strerror(errno)))\n".utf8))
      Foundation.exit(1)
    }
  }

  /// The first argument before any "--" that is a negative number, which
  /// the parser takes for an option, and the option before it when it
  /// follows one (`--value -7.25`, which needs `--value=-7.25`).
  static func negativeNumber(in arguments: [String]) -> (number: String, option: String?)? {
    for (index, argument) in arguments.enumerated() {
      if argument == "--" { return nil }
      if argument.hasPrefix("-"), argument.dropFirst().first.map({ $0.isNumber || $0 == "." }) == true,
        Double(argument) != nil || argument.dropFirst().allSatisfy(\.isNumber)
      {
        let previous = index > 0 ? arguments[index - 1] : ""
        let option = previous.hasPrefix("--") && previous.count > 2 && !previous.contains("=") ? previous : nil
        return (argument, option)
      }
    }
    return nil
  }
}
