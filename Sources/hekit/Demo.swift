import ArgumentParser
import Foundation
import HEKit

/// `hekit demo`: the main job on the bundled data, end to end, with timings;
/// `--self-check` runs the arithmetic self-check instead.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Score the bundled breast-cancer data encrypted, end to end, and check the result.",
    discussion: """
      Trains a logistic-regression model in plaintext, then plays both sides: the \
      client generates a key and encrypts every record, the server scores the \
      encrypted records with the plaintext model and public key only, the client \
      decrypts the scores; first under Paillier, then under BFV (batched, through \
      the CLI's own file formats, plus the end-to-end rate on one full batch). \
      Prints the time of each stage, the data sizes, the \
      agreement with the plaintext model and the accuracy against the labels. \
      --self-check instead runs the big-integer identities everything rests on.
      """
  )

  @Option(help: "The CSV data (a header line, numeric columns).")
  var data = "Data/breast_cancer.csv"

  @Option(help: "The column holding the 0/1 label.")
  var target = "target"

  @Option(help: "Paillier modulus size in bits (2048 to 4096).")
  var bits = 3072

  @Option(help: "Score only the first N records (default: all). Skips the BFV full-batch rate.")
  var rows: Int?

  @Option(help: "The schemes to run.")
  var scheme: Schemes = .both

  @Option(help: "BFV ring (n8192: as hekit keygen --scheme bfv).")
  var preset: Ring = .n8192

  @Flag(help: "Print one JSON object with every stage's time, the sizes, agreement and accuracy (and the BFV throughput) instead of text.")
  var json = false

  @Flag(help: "Run the arithmetic self-check (random primes, RSA and Paillier identities) instead.")
  var selfCheck = false

  func validate() throws {
    guard (2048...4096).contains(bits) || (selfCheck && (256...8192).contains(bits)), bits % 2 == 0 else {
      throw ValidationError("--bits must be an even number from 2048 to 4096, got \(bits)")
    }
    if let rows, rows < 1 { throw ValidationError("--rows must be at least 1") }
  }

  func run() throws {
    if selfCheck {
      print("HEKit \(HEKitVersion.string) self-check of BigNum (GMP) at \(bits) bits")
      let report = try SelfCheck.run(bits: bits) { line in print(line) }
      print("\(report.passed) passed, \(report.failed) failed")
      if report.failed > 0 { throw ExitCode.failure }
      return
    }
    guard FileManager.default.fileExists(atPath: data) else {
      throw CLIError("cannot find \(data): run from the repository root or pass --data FILE")
    }
    var passed = true
    var results: [(String, ReportValue)] = []
    if scheme.includesPaillier {
      let log = DemoLog(json: json)
      passed = try PaillierDemo.run(dataPath: data, target: target, bits: bits, rows: rows, log: log).passed && passed
      results.append(("paillier", log.object))
    }
    if scheme == .both && !json { print() }
    if scheme.includesBFV {
      let log = DemoLog(json: json)
      passed = try BFVDemo.run(
        dataPath: data, target: target, preset: preset.preset, rows: rows, throughput: rows == nil,
        log: log
      ).passed && passed
      results.append(("bfv", log.object))
    }
    if json { print(ReportValue.object([("command", .string("demo"))] + results + [("passed", .bool(passed))]).json) }
    if !passed { throw ExitCode.failure }
  }
}
