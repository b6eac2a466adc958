import BigNum
import Foundation
import HEKit

/// What the Paillier subcommands share: loading keys and ciphertexts,
/// parsing plaintext values, and formatting decrypted ones.
enum PaillierFiles {
  /// Loads a public key JWK, or the public key of a private key file
  /// (refused when `refusingPrivate`, for commands that run server-side).
  static func publicKey(at path: String, refusingPrivate: Bool = false) throws -> Paillier.PublicKey {
    try PaillierKeyFile.publicKey(readInput(path), file: displayName(path), refusingPrivate: refusingPrivate)
  }

  /// The public key of a key file already open (see ``publicKey(at:refusingPrivate:)``).
  static func publicKey(from key: KeyInput, refusingPrivate: Bool = false) throws -> Paillier.PublicKey {
    try PaillierKeyFile.publicKey(key.document(), file: displayName(key.path), refusingPrivate: refusingPrivate)
  }

  /// Loads a private key JWK; a public key is refused as such.
  static func privateKey(at path: String) throws -> Paillier.PrivateKey {
    try PaillierKeyFile.privateKey(readInput(path), file: displayName(path))
  }

  /// The private key of a key file already open.
  static func privateKey(from key: KeyInput) throws -> Paillier.PrivateKey {
    try PaillierKeyFile.privateKey(key.document(), file: displayName(key.path))
  }

  /// A ciphertext file (see ``PaillierKeyFile/ciphertext(_:file:publicKey:requiringBound:)``).
  static func ciphertext(
    at path: String, publicKey: Paillier.PublicKey, requiringBound: Bool = false
  ) throws -> Paillier.Ciphertext {
    try PaillierKeyFile.ciphertext(readInput(path), file: displayName(path), publicKey: publicKey, requiringBound: requiringBound)
  }

  /// Runs a reader of the file `path`; its error is reported with the file's name.
  static func naming<T>(_ path: String, _ body: () throws(PaillierError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw CLIError("\(displayName(path)): \(error.localizedDescription)")
    }
  }

  /// The name of a file in messages (`-` is standard input).
  static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }

  /// A decimal value of the command line (`--value`), as python-paillier encodes it.
  static func encode(_ text: String, publicKey: Paillier.PublicKey) throws -> Paillier.EncodedNumber {
    do {
      return try Paillier.EncodedNumber(decimal: text, publicKey: publicKey)
    } catch .malformedData {
      throw CLIError("not a number: \"\(text)\"")
    }
  }

  /// Runs `body` over `items` on all cores, keeping order.
  static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) throws -> R) throws -> [R] {
    try BigNum.parallelMap(items.count) { try body(items[$0]) }
  }
}
