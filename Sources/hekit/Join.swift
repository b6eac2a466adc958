import ArgumentParser
import Foundation
import HEKit

/// `hekit join`: shards back into one batch file, in order.
struct Join: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Join the shards of hekit split (or the scores hekit score made of them) into one batch file.",
    discussion: """
      Give every shard, in order. Refuses a shard of another file, a missing or duplicated shard, and shards out \
      of order. The joined file has the source's header and one trailer; joined shards of records are the \
      source, byte for byte.
      """
  )

  @OptionGroup var destination: OutputOption

  @Argument(help: "The shards, in order.")
  var shards: [String]

  @OptionGroup var replacing: ForceOption

  func validate() throws {
    guard !shards.isEmpty else { throw ValidationError("give the shards to join") }
  }

  func run() throws {
    let readers = try shards.map { try LineReader(path: $0, maximumLineBytes: BFVCommands.maximumEncryptLineBytes) }
    let out = try Output(path: destination.output, force: replacing.force, inputs: shards)
    let joined = try BatchShards.join(shards: zip(shards, readers).map { ($0, $1.next) }, to: out.write)
    try out.finish()
    if let output = destination.output {
      print("joined \(shards.count) shards into \(output): \(joined.records) records in \(joined.lines) line\(joined.lines == 1 ? "" : "s")")
    }
  }
}
