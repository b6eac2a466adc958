import ArgumentParser
import HEKit

// The option types the commands share: enums that the parser checks (and
// lists in --help and in its error for a value it does not know), and the
// --force flag every writing command takes.

/// The scheme of keys a command makes.
enum Scheme: String, ExpressibleByArgument, CaseIterable {
  case paillier, bfv
}

/// The schemes a command runs: one, or both in turn (demo, bench).
enum Schemes: String, ExpressibleByArgument, CaseIterable {
  case paillier, bfv, both

  var includesPaillier: Bool { self != .bfv }
  var includesBFV: Bool { self != .paillier }
}

/// The BFV rings the command line offers (N = 8192 by default).
enum Ring: String, ExpressibleByArgument, CaseIterable {
  case n8192, n4096

  /// The parameter preset of the ring.
  var preset: BFV.Preset { self == .n4096 ? .n4096 : .n8192 }
}

extension Paillier.EncryptionMode: ExpressibleByArgument {}
extension BFVScoringServer.Reveal: ExpressibleByArgument {}

/// `--force`: replace an existing output instead of refusing.
struct ForceOption: ParsableArguments {
  @Flag(help: "Replace an existing output file.")
  var force = false
}

/// `--output`: where a command writes its data (standard output by default).
struct OutputOption: ParsableArguments {
  @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
  var output: String?
}

/// `--output` and `--json` of the commands that write data and can report on
/// it: the summary goes to standard output, so the data must go to a file.
struct SummaryOutputOptions: ParsableArguments {
  @OptionGroup var destination: OutputOption

  @Flag(help: "Print a JSON summary (records, seconds, files) on standard output; needs --output.")
  var json = false

  var output: String? { destination.output }

  func validate() throws {
    try CommandSummary.checkOutput(json: json, output: output)
  }
}
