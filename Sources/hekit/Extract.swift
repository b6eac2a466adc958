import ArgumentParser
import HEKit

/// `hekit extract`: the public key of a private key file (pheutil's `extract`).
struct Extract: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Extract the public key from a private key file.")

  @Argument(help: "The private key file (- for stdin).")
  var privateKey: String

  @OptionGroup var destination: OutputOption
  var output: String? { destination.output }

  @OptionGroup var replacing: ForceOption

  func run() throws {
    let key = try PaillierFiles.privateKey(at: privateKey).publicKey
    let out = try Output(path: output, force: replacing.force, inputs: [privateKey])
    try out.write(key.jwkString(kid: "Paillier public key extracted by hekit") + "\n")
    try out.finish()
  }
}
