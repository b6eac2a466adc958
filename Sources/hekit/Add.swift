import ArgumentParser
import HEKit

/// `hekit add`: E(a) + E(b) (pheutil's `addenc`) or E(a) + b (pheutil's `add`).
struct Add: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Add two ciphertexts, or a ciphertext and a plaintext number.",
    discussion: "Needs only the public key. Give a negative --value with an equals sign: --value=-7.25.")

  @Option(help: "The public key file.")
  var key: String

  @Argument(help: "The first ciphertext file.")
  var first: String

  @Argument(help: "The second ciphertext file (or give --value).")
  var second: String?

  @Option(help: "A plaintext number to add instead of a second ciphertext.")
  var value: String?

  @OptionGroup var destination: OutputOption
  var output: String? { destination.output }

  @OptionGroup var replacing: ForceOption

  @Flag(help: ArgumentHelp(
    "Accept ciphertexts without HEKit's plaintext bound (python-paillier's).",
    discussion: "The result is then unchecked: an overflow shows at decryption only when it lands between the windows."))
  var allowUnbounded = false

  func validate() throws {
    guard (second == nil) != (value == nil) else { throw ValidationError("give either a second ciphertext or --value") }
  }

  func run() throws {
    let publicKey = try PaillierFiles.publicKey(at: key, refusingPrivate: true)
    let a = try PaillierFiles.ciphertext(at: first, publicKey: publicKey, requiringBound: !allowUnbounded)
    let out = try Output(path: output, force: replacing.force, inputs: [key, first, second].compactMap { $0 })
    let sum: Paillier.Ciphertext
    if let second {
      sum = try a + PaillierFiles.ciphertext(at: second, publicKey: publicKey, requiringBound: !allowUnbounded)
    } else {
      let encoded = try PaillierFiles.encode(value ?? "", publicKey: publicKey)
      // Align as python-paillier does: the plaintext is encoded at most at the ciphertext's exponent.
      sum = try a + (encoded.exponent > a.exponent ? encoded.decreasingExponent(to: a.exponent) : encoded)
    }
    try out.write(sum.normalizedJSONString() + "\n")
    try out.finish()
  }
}
