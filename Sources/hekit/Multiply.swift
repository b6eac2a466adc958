import ArgumentParser
import HEKit

/// `hekit multiply`: k · E(a) for a plaintext number k (pheutil's `multiply`).
struct Multiply: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Multiply a ciphertext by a plaintext number.",
    discussion: "Needs only the public key. Put \"--\" before a negative VALUE.")

  @Option(help: "The public key file.")
  var key: String

  @Argument(help: "The ciphertext file.")
  var ciphertext: String

  @Argument(help: "The plaintext number to multiply by.")
  var value: String

  @OptionGroup var destination: OutputOption
  var output: String? { destination.output }

  @OptionGroup var replacing: ForceOption

  @Flag(help: ArgumentHelp(
    "Accept ciphertexts without HEKit's plaintext bound (python-paillier's).",
    discussion: "The result is then unchecked: an overflow shows at decryption only when it lands between the windows."))
  var allowUnbounded = false

  func run() throws {
    let publicKey = try PaillierFiles.publicKey(at: key, refusingPrivate: true)
    let a = try PaillierFiles.ciphertext(at: ciphertext, publicKey: publicKey, requiringBound: !allowUnbounded)
    let k = try PaillierFiles.encode(value, publicKey: publicKey)
    let out = try Output(path: output, force: replacing.force, inputs: [key, ciphertext])
    try out.write((a * k).normalizedJSONString() + "\n")
    try out.finish()
  }
}
