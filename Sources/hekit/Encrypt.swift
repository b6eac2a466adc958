import ArgumentParser
import Foundation
import HEKit

/// `hekit encrypt`: one value to a pheutil ciphertext, or a CSV file to a
/// batch file (one record per row), streaming.
struct Encrypt: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Encrypt a number, or every field of a CSV file, with a public key.",
    discussion: """
      A single VALUE gives pheutil's {"v": ..., "e": ...} layout: integers \
      are encoded exactly (exponent 0), other numbers with python-paillier's \
      float encoding lowered to exponent -32. With --input, each CSV row \
      becomes one line of a batch file (a header line naming the key, then \
      one JSON array of ciphertexts per row), processed in chunks over all \
      cores in constant memory. Put "--" before a negative VALUE.
      """
  )

  @Option(help: "The public key file (or a private key file).")
  var key: String

  @Argument(help: "The number to encrypt.")
  var value: String?

  @Option(help: "A CSV file of numbers to encrypt (- for stdin).")
  var input: String?

  @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
  var output: String?

  @Option(help: "Obfuscator: djn (default, fast) or standard (r^n).")
  var mode: String = "djn"

  @Flag(help: "With --input: the first CSV line is a header of column names; skip it.")
  var skipHeader = false

  @Flag(help: "Replace an existing output file.")
  var force = false

  func validate() throws {
    guard (value == nil) != (input == nil) else { throw ValidationError("give either VALUE or --input CSV") }
    guard Paillier.EncryptionMode(rawValue: mode) != nil else { throw ValidationError("--mode must be djn or standard") }
  }

  func run() throws {
    let publicKey = try PaillierFiles.publicKey(at: key)
    let encryptionMode = Paillier.EncryptionMode(rawValue: mode) ?? .djn
    let out = try Output(path: output, force: force, inputs: [key, input].compactMap { $0 })
    if let value {
      let encoded = try PaillierFiles.encode(value, publicKey: publicKey)
      try out.write(PaillierFiles.serialise(publicKey.encrypt(encoded, mode: encryptionMode)) + "\n")
    } else if let input {
      try out.write(Paillier.Batch.header(for: publicKey) + "\n")
      let reader = try LineReader(path: input)
      var rows: [(Int, String)] = []
      var lineNumber = 0
      func flush() throws {
        let lines = try PaillierFiles.parallelMap(rows) { (number, row) -> String in
          var cts: [Paillier.Ciphertext] = []
          for field in row.split(separator: ",", omittingEmptySubsequences: false) {
            do {
              let encoded = try PaillierFiles.encode(String(field), publicKey: publicKey)
              cts.append(try publicKey.encrypt(encoded, mode: encryptionMode))
            } catch {
              throw CLIError("line \(number): \(error)")
            }
          }
          return Paillier.Batch.record(cts)
        }
        for line in lines { try out.write(line + "\n") }
        rows.removeAll(keepingCapacity: true)
      }
      while let line = reader.next() {
        lineNumber += 1
        if skipHeader && lineNumber == 1 { continue }
        if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
        rows.append((lineNumber, line))
        if rows.count == 64 { try flush() }
      }
      try flush()
    }
    try out.finish()
  }
}
