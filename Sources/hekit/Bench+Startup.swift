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
    main(nil)
    // What print() buffered: a full disk or a closed pipe fails the command.
    if fflush(nil) != 0 {
      FileHandle.standardError.write(Data("Error: cannot write standard output: \(String(cString: strerror(errno)))\n".utf8))
      Foundation.exit(1)
    }
  }
}
