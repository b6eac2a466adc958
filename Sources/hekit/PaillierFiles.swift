import BigNum
import Foundation
import HEKit

/// What the Paillier subcommands share: loading keys and ciphertexts,
/// parsing plaintext values, and formatting decrypted ones.
enum PaillierFiles {
  /// Loads a public key JWK, or the public key of a private key file
  /// (refused when `refusingPrivate`, for commands that run server-side).
  static func publicKey(at path: String, refusingPrivate: Bool = false) throws -> Paillier.PublicKey {
    try publicKey(from: paillierDocument(readInput(path), path: path), path: path, refusingPrivate: refusingPrivate)
  }

  /// The public key of a key file already open (see ``publicKey(at:refusingPrivate:)``).
  static func publicKey(from key: KeyInput, refusingPrivate: Bool = false) throws -> Paillier.PublicKey {
    try publicKey(from: paillierDocument(key.document(), path: key.path), path: key.path, refusingPrivate: refusingPrivate)
  }

  private static func publicKey(from data: Data, path: String, refusingPrivate: Bool) throws -> Paillier.PublicKey {
    if isPrivateKey(data) {
      if refusingPrivate {
        throw CLIError("\(path) is a private key: this command needs only the public key (hekit extract writes it)")
      }
      return try naming(path) { () throws(PaillierError) in try Paillier.PrivateKey(jwk: data).publicKey }
    }
    return try naming(path) { () throws(PaillierError) in try Paillier.PublicKey(jwk: data) }
  }

  /// Loads a private key JWK; a public key is refused as such.
  static func privateKey(at path: String) throws -> Paillier.PrivateKey {
    try privateKey(from: paillierDocument(readInput(path), path: path), path: path)
  }

  static func privateKey(from key: KeyInput) throws -> Paillier.PrivateKey {
    try privateKey(from: paillierDocument(key.document(), path: key.path), path: key.path)
  }

  private static func privateKey(from data: Data, path: String) throws -> Paillier.PrivateKey {
    if !isPrivateKey(data), (try? Paillier.PublicKey(insecureJWK: data)) != nil {
      throw CLIError("\(path) is a public key: this command needs the private key (NAME.key.json)")
    }
    return try naming(path) { () throws(PaillierError) in try Paillier.PrivateKey(jwk: data) }
  }

  /// A ciphertext file; with `requiringBound`, one without HEKit's magnitude
  /// bound (python-paillier's) is refused, for operations that must show
  /// their result stays in the window.
  static func ciphertext(
    at path: String, publicKey: Paillier.PublicKey, requiringBound: Bool = false
  ) throws -> Paillier.Ciphertext {
    let data = try paillierDocument(readInput(path), path: path)
    let ciphertext = try naming(path) { () throws(PaillierError) in try Paillier.Ciphertext(json: data, publicKey: publicKey) }
    if requiringBound && ciphertext.magnitudeBound == nil {
      throw CLIError("\(path): \(PaillierError.unknownBound.localizedDescription) (or accept it unchecked with --allow-unbounded)")
    }
    return ciphertext
  }

  /// `data` when it is a Paillier JSON document; a BFV file is refused as
  /// one of the other scheme.
  private static func paillierDocument(_ data: Data, path: String) throws -> Data {
    let head = String(decoding: data.prefix(256), as: UTF8.self)
    if BFVFileHeader.isBFV(head) || head.contains("\"hekit-bfv-") {
      throw CLIError("\(path == "-" ? "standard input" : path) is a BFV file: this command works with Paillier keys and ciphertexts only")
    }
    return data
  }

  /// Whether a JWK holds private material (a `pub` object, primes or λ).
  private static func isPrivateKey(_ data: Data) -> Bool {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
    return object["pub"] != nil || object["p"] != nil || object["q"] != nil || object["lambda"] != nil
  }

  /// Runs a reader of the file `path`; its error is reported with the file's name.
  static func naming<T>(_ path: String, _ body: () throws(PaillierError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw CLIError("\(path == "-" ? "standard input" : path): \(error.localizedDescription)")
    }
  }

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
