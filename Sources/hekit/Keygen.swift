import ArgumentParser
import Foundation
import HEKit

/// `hekit keygen`: a new key pair, written as NAME.pub.json and NAME.key.json
/// (Paillier) or NAME.pub and NAME.key (BFV).
struct Keygen: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Generate a key pair.",
    discussion: """
      Paillier writes NAME.pub.json (the public key, python-paillier's JWK) and \
      NAME.key.json (the private key, mode 0600). BFV writes NAME.pub (the \
      parameters and one public key per plaintext modulus t_i) and NAME.key \
      (the secret keys, mode 0600); records are encrypted modulo every t_i and \
      recombined by CRT, so the moduli together must hold the scores (the \
      defaults do for a logistic model on tens of features at a logit error \
      bound of 1e-6). The scoring server floods every result with fresh noise; \
      how well that hides the computation's own noise depends on the budget \
      left: measured on the bundled model, the default n8192 with 3 × 30 \
      bits leaves 125 bits (statistical distance about 2^-109); --preset \
      n4096 (3 × 24 bits) costs half but leaves 34 (about 2^-19), and \
      --preset n4096 --moduli 5 --modulus-bits 18 leaves 54 (about 2^-39). \
      Both files are written atomically; existing files are \
      kept unless --force is given.
      """
  )

  @Option(help: "The scheme.")
  var scheme: Scheme = .paillier

  @Option(
    name: .customLong("preset"),
    help: """
      BFV: the ring, n8192 (log q 218, the default: noise flooding hides a result's noise to about 2^-109) \
      or n4096 (log q 109: half the cost, flooding only to about 2^-19; see README, Noise flooding). \
      A tuning profile (hekit bench --tune) that found n4096 faster is reported, not followed: \
      the weaker flooding is used only when asked for by name.
      """)
  var presetOption: Ring?

  /// The ring: `--preset`, else n8192.
  var preset: Ring { presetOption ?? .n8192 }

  /// The tuning profile's BFV preset, when it is one `hekit keygen` offers.
  static var tunedPreset: Ring? {
    appliedTuning?.profile?.bfvPreset.flatMap { Ring(rawValue: $0.rawValue) }
  }

  @Option(help: "BFV: the number of plaintext moduli t_i (1 to 6).")
  var moduli = BFVCommands.defaultModuli

  @Option(help: "BFV: the width of each t_i in bits, 16 to 30 (default: 24 for n4096, 30 for n8192).")
  var modulusBits: Int?

  @Option(help: "Paillier modulus size in bits: 2048 to 4096, even.")
  var bits = Paillier.defaultKeyBits

  @Option(name: .shortAndLong, help: "Base name of the two key files.")
  var output: String

  @Option(help: "An identifying comment stored in the keys (kid).")
  var id: String?

  @Flag(help: "Print a JSON summary of what was done on standard output.")
  var json = false

  @OptionGroup var replacing: ForceOption

  func validate() throws {
    guard !output.isEmpty, !output.hasSuffix("/") else {
      throw ValidationError("--output must name the key files (NAME gives NAME.pub and NAME.key), not a directory")
    }
    if scheme == .bfv {
      guard (1...BFVParameterSpec.maximumModuli).contains(moduli) else { throw ValidationError("--moduli must be 1 to 6, got \(moduli)") }
      if let modulusBits, !(16...30).contains(modulusBits) { throw ValidationError("--modulus-bits must be 16 to 30, got \(modulusBits)") }
      guard moduli * bfvModulusBits <= BFVParameterSpec.maximumPlaintextBits else {
        throw ValidationError("--moduli × --modulus-bits must be at most \(BFVParameterSpec.maximumPlaintextBits) bits")
      }
      return
    }
    guard (Paillier.minimumSecureKeyBits...Paillier.maximumKeyBits).contains(bits), bits % 2 == 0 else {
      throw ValidationError("--bits must be an even number from 2048 to 4096, got \(bits)")
    }
  }

  var bfvModulusBits: Int { modulusBits ?? (preset == .n4096 ? BFVCommands.defaultModulusBits4096 : 30) }

  func run() throws {
    if scheme == .bfv {
      if presetOption == nil, let tuned = Self.tunedPreset, tuned != preset, let path = appliedTuning?.path {
        FileHandle.standardError.write(Data(("note: the tuning profile \(path) found \(tuned) faster for its workload; "
          + "keys are \(preset) (flooding to about 2^-109) unless --preset \(tuned) asks for it (flooding to about 2^-19)\n").utf8))
      }
      let spec = try BFVCommands.spec(preset: preset.preset, moduli: moduli, bits: bfvModulusBits)
      let (summary, text) = try BFVCommands.keygen(output: output, force: replacing.force, spec: spec, comment: id)
      summary.emit(json: json, text: text)
      return
    }
    let publicPath = output + ".pub.json"
    let privatePath = output + ".key.json"
    // Open both first, so neither is written when the other would be refused.
    let publicFile = try OutputFile(path: publicPath, force: replacing.force)
    let privateFile = try OutputFile(path: privatePath, access: .owner, force: replacing.force)
    let key = try Paillier.PrivateKey.generate(bits: bits)
    let date = ISO8601DateFormatter().string(from: Date())
    let kid = id ?? "Paillier key generated by hekit on \(date)"
    try publicFile.write(key.publicKey.jwkString(kid: "\(kid) (public)") + "\n")
    try privateFile.write(key.jwkString(kid: "\(kid) (private)") + "\n")
    try OutputFile.commitPair(privateFile, publicFile)
    CommandSummary("keygen", [
      ("scheme", .string("paillier")), ("public-key", .string(publicPath)), ("secret-key", .string(privatePath)),
      ("key", .string(Inspector.paillierIdentity(key.publicKey.n))), ("bits", .int(bits)),
    ]).emit(json: json, text: "wrote \(publicPath) and \(privatePath) (\(bits)-bit Paillier key)")
  }
}
