import ArgumentParser
import HEKit

@main
struct HEKitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hekit",
    abstract: "Compute on encrypted data: Paillier and BFV on GMP.",
    discussion: """
      A data owner encrypts; a server holding only public material computes on \
      the ciphertexts; the key holder decrypts the result.
      """,
    version: HEKitVersion.string,
    subcommands: [Demo.self, Keygen.self, Extract.self, Encrypt.self, Score.self, Decrypt.self, Split.self, Join.self, Inspect.self, Analyze.self, Add.self, Multiply.self, Train.self, Bench.self]
  )
}

/// HEKit's release, as `hekit --version` prints it.
enum HEKitVersion {
  /// The semantic version of this build.
  static let string = "0.1.0"
}
