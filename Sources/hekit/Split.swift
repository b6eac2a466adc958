import ArgumentParser
import Foundation
import HEKit

/// `hekit split`: a batch file into shards that score on their own.
struct Split: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Split a batch file (records or scores, either scheme) into shards that hekit score reads on their own.",
    discussion: """
      Writes PREFIX-00000-of-0000N.enc ...: each shard is a batch file of its own (the source's header with a \
      shard field naming the source, the shard's place and its first record line; a run of record lines; a \
      trailer), so a job queue, Spark's RDD.pipe or Hadoop streaming can score each on its own. hekit join puts \
      the scored shards back together in order. The shards are written only when all of them are.
      """
  )

  @Option(help: "The batch file to split (a file: it is read twice).")
  var input: String

  @Option(help: "The number of shards (at most one per record line: a BFV line holds up to N records).")
  var shards: Int

  @Option(name: .shortAndLong, help: "The shards' path prefix: PREFIX-00000-of-00003.enc ...")
  var output: String

  @OptionGroup var replacing: ForceOption

  func validate() throws {
    guard input != "-" else { throw ValidationError("--input must be a file: split reads it twice") }
    guard (1...99_999).contains(shards) else { throw ValidationError("--shards must be from 1 to 99999") }
  }

  /// The path of shard `index` of `count`.
  static func path(prefix: String, index: Int, count: Int) -> String {
    func digits(_ n: Int) -> String { String(repeating: "0", count: max(0, 5 - String(n).count)) + String(n) }
    return "\(prefix)-\(digits(index))-of-\(digits(count)).enc"
  }

  func run() throws {
    var files: [OutputFile] = []
    let summary = try BatchShards.split(
      file: input, shards: shards,
      open: { try LineReader(path: input, maximumLineBytes: BFVCommands.maximumEncryptLineBytes).lines() }
    ) { index, text in
      if index == files.count {
        let path = Self.path(prefix: output, index: index, count: shards)
        files.append(try OutputFile(path: path, force: replacing.force, inputs: [input]))
      }
      try files[index].write(text)
    }
    try OutputFile.commitAll(files)  // all shards or none
    for (index, shard) in summary.shards.enumerated() {
      let lines = "\(shard.lines) line\(shard.lines == 1 ? "" : "s")"
      print("\(Self.path(prefix: output, index: index, count: shards)): \(shard.records) records in \(lines)")
    }
    print("split \(input) (source \(summary.source), \(summary.records) records) into \(shards) shards")
  }
}
