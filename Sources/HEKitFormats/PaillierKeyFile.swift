import Foundation
import Paillier

/// Paillier key and ciphertext files (python-paillier's JSON), read with the
/// checks every HEKit program applies: the file's scheme, public against
/// private material, and the magnitude bound where an operation needs it.
public enum PaillierKeyFile {
  /// Whether a JWK holds private material (a `pub` object, primes or λ).
  public static func isPrivate(_ data: Data) -> Bool {
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
    return object["pub"] != nil || object["p"] != nil || object["q"] != nil || object["lambda"] != nil
  }

  /// The public key of a key file: a public key, or a private key's public
  /// half unless `refusingPrivate` (for what runs on a server).
  /// - Throws: ``FormatError/privateKeyRefused(file:)``,
  ///   ``FormatError/otherScheme(file:found:)`` for a BFV file,
  ///   ``FormatError/malformed(file:reason:)`` naming the fault.
  public static func publicKey(_ data: Data, file: String, refusingPrivate: Bool = false) throws(FormatError)
    -> Paillier.PublicKey
  {
    try checkScheme(data, file: file)
    if isPrivate(data) {
      if refusingPrivate { throw .privateKeyRefused(file: file) }
      return try naming(file) { () throws(PaillierError) in try Paillier.PrivateKey(jwk: data).publicKey }
    }
    return try naming(file) { () throws(PaillierError) in try Paillier.PublicKey(jwk: data) }
  }

  /// The private key of a key file.
  /// - Throws: ``FormatError/privateKeyRequired(file:)`` for a public key;
  ///   as ``publicKey(_:file:refusingPrivate:)`` otherwise.
  public static func privateKey(_ data: Data, file: String) throws(FormatError) -> Paillier.PrivateKey {
    try checkScheme(data, file: file)
    if !isPrivate(data), (try? Paillier.PublicKey(insecureJWK: data)) != nil { throw .privateKeyRequired(file: file) }
    return try naming(file) { () throws(PaillierError) in try Paillier.PrivateKey(jwk: data) }
  }

  /// A ciphertext file (pheutil's JSON); with `requiringBound`, one without
  /// HEKit's magnitude bound is refused, for operations that must show their
  /// result stays in the window.
  /// - Throws: ``FormatError/unboundedCiphertext(file:)``, ``FormatError/malformed(file:reason:)``.
  public static func ciphertext(
    _ data: Data, file: String, publicKey: Paillier.PublicKey, requiringBound: Bool = false
  ) throws(FormatError) -> Paillier.Ciphertext {
    try checkScheme(data, file: file)
    let ciphertext = try naming(file) { () throws(PaillierError) in try Paillier.Ciphertext(json: data, publicKey: publicKey) }
    if requiringBound && ciphertext.magnitudeBound == nil {
      throw .unboundedCiphertext(file: file)
    }
    return ciphertext
  }

  /// Refuses a BFV file as one of the other scheme.
  static func checkScheme(_ data: Data, file: String) throws(FormatError) {
    let head = String(decoding: data.prefix(256), as: UTF8.self)
    if BFVFileHeader.isBFV(head) || head.contains("\"hekit-bfv-") { throw .otherScheme(file: file, found: "BFV") }
  }

  /// Runs a reader; its error is reported with the file's name.
  static func naming<T>(_ file: String, _ body: () throws(PaillierError) -> T) throws(FormatError) -> T {
    do {
      return try body()
    } catch {
      throw .malformed(file: file, reason: error.localizedDescription)
    }
  }
}
