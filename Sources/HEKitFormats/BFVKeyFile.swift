import BFV
import BigNum
import Crypto
import Foundation

/// The public or secret key set of `hekit keygen --scheme bfv`: a header
/// line, then one base64 line per plaintext modulus holding that parameter
/// set's serialized key.
public struct BFVKeyFile: Sendable {
  /// The file's header (``BFVFileHeader/publicKeyFormat`` or ``BFVFileHeader/secretKeyFormat``).
  public let header: BFVFileHeader
  /// One parameter set per plaintext modulus.
  public let parameters: [BFV.Parameters]
  /// The public keys (empty in a secret key set).
  public let publicKeys: [BFV.PublicKey]
  /// The secret keys (empty in a public key set).
  public let secretKeys: [BFV.SecretKey]

  /// Whether this is a secret key set.
  public var isSecret: Bool { !secretKeys.isEmpty }
  /// The parameters the header names.
  public var spec: BFVParameterSpec { header.spec }

  /// The key identity of public keys: SHA-256 of their serialized bytes
  /// (concatenated), first 16 bytes in hex.
  public static func identity(of serializedKeys: [[UInt8]]) -> String {
    var hasher = SHA256()
    for bytes in serializedKeys { hasher.update(data: bytes) }
    return hasher.finalize().prefix(16).hexString
  }

  /// Fresh keys (OS CSPRNG) for `spec`.
  /// - Throws: ``FormatError/malformed(file:reason:)`` for parameters that
  ///   ``BFVParameterSpec/build(file:)`` refuses.
  public static func generate(
    _ spec: BFVParameterSpec, comment: String?
  ) throws(FormatError) -> (public: BFVKeyFile, secret: BFVKeyFile) {
    let parameters = try spec.build(file: "the chosen parameters")
    let secretKeys = BigNum.parallelMap(parameters.count) { BFV.SecretKey(parameters: parameters[$0]) }
    let publicKeys = BigNum.parallelMap(parameters.count) { secretKeys[$0].publicKey() }
    let key = identity(of: publicKeys.map { $0.serialized() })
    var publicHeader = BFVFileHeader(format: BFVFileHeader.publicKeyFormat, key: key, spec: spec)
    publicHeader.comment = comment
    var secretHeader = BFVFileHeader(format: BFVFileHeader.secretKeyFormat, key: key, spec: spec)
    secretHeader.comment = comment
    return (
      BFVKeyFile(header: publicHeader, parameters: parameters, publicKeys: publicKeys, secretKeys: []),
      BFVKeyFile(header: secretHeader, parameters: parameters, publicKeys: [], secretKeys: secretKeys)
    )
  }

  /// The file's text: header line, then one base64 line per modulus.
  /// - Warning: for a secret key set, the text is the secret key.
  public func text() throws -> String {
    let blobs = isSecret ? secretKeys.map { $0.serialized() } : publicKeys.map { $0.serialized() }
    return try header.line() + "\n" + blobs.map { Data($0).base64EncodedString() + "\n" }.joined()
  }

  /// Reads a key file line by line: a public key set, or a secret one.
  /// Checks the header, every key against its parameters, that no line
  /// follows the keys but blank ones and, for public keys, the key identity
  /// against the keys. The decoded bytes of secret keys are zeroed once read.
  /// - Parameters:
  ///   - nextLine: returns the file's lines in order without their newlines
  ///     (the header first; blank lines before it already skipped), nil at the end.
  ///   - file: the file's name, for messages.
  ///   - refusingSecret: refuse a secret key file (commands of the server).
  ///   - requiringSecret: refuse a public key file (decryption).
  ///   - expectedKey: the key identity the file must have, and the file that
  ///     requires it (checked from the header before any key is read).
  /// - Throws: ``FormatError`` naming the file, line and fault; errors of `nextLine` unchanged.
  public static func read(
    lines nextLine: () throws -> String?, file path: String, refusingSecret: Bool = false,
    requiringSecret: Bool = false, expectedKey: (String, file: String)? = nil
  ) throws -> BFVKeyFile {
    guard let first = try nextLine() else { throw FormatError.malformed(file: path, reason: "the file is empty") }
    let header = try BFVFileHeader.parse(first, file: path)
    let secret = header.format == BFVFileHeader.secretKeyFormat
    if secret && refusingSecret { throw FormatError.secretKeyRefused(file: path) }
    if !secret && requiringSecret && header.format == BFVFileHeader.publicKeyFormat {
      throw FormatError.wrongKind(file: path, found: "a BFV public key", needed: "the secret key (NAME.key) that decryption needs")
    }
    if let (key, file) = expectedKey, key != header.key {
      throw FormatError.keyMismatch(file: file, found: key, expected: "\(header.key) (\(path))")
    }
    guard secret || header.format == BFVFileHeader.publicKeyFormat else {
      throw FormatError.wrongKind(file: path, found: BFVFileHeader.describe(header.format), needed: "a BFV key file")
    }
    let parameters = try header.spec.build(file: path)
    var publicKeys: [BFV.PublicKey] = []
    var secretKeys: [BFV.SecretKey] = []
    var blobs: [[UInt8]] = []
    for (i, p) in parameters.enumerated() {
      guard let line = try nextLine(), var bytes = Data(base64Encoded: line).map([UInt8].init) else {
        throw FormatError.malformedLine(file: path, line: i + 2, reason: "missing or not base64 (the file is truncated or garbled)")
      }
      do {
        if secret {
          defer { secureZero(&bytes) }
          secretKeys.append(try BFV.SecretKey(deserializing: bytes, parameters: p))
        } else {
          // The format is canonical (residues below their primes, zero padding, exact
          // length: checked), so these bytes are the key's serialization.
          publicKeys.append(try BFV.PublicKey(deserializing: bytes, parameters: p))
          blobs.append(bytes)
        }
      } catch {
        throw FormatError.malformedLine(file: path, line: i + 2, reason: error.localizedDescription)
      }
    }
    while let extra = try nextLine() {
      guard extra.allSatisfy({ $0 == " " || $0 == "\t" }) else {
        throw FormatError.malformed(file: path, reason: "more lines than the \(parameters.count) keys its header names")
      }
    }
    if !secret && identity(of: blobs) != header.key {
      throw FormatError.malformed(file: path, reason: "the key identity in the header does not match its public keys")
    }
    return BFVKeyFile(header: header, parameters: parameters, publicKeys: publicKeys, secretKeys: secretKeys)
  }
}

extension BFVKeyFile {
  /// Checks that a batch file's header was made under these keys and parameters.
  /// - Parameters:
  ///   - header: the batch file's header.
  ///   - file: the batch file, for messages.
  ///   - keyFile: the key file, for messages.
  /// - Throws: ``FormatError/keyMismatch(file:found:expected:)`` or ``FormatError/malformed(file:reason:)``.
  public func check(_ header: BFVFileHeader, of file: String, keyFile: String) throws(FormatError) {
    guard header.key == self.header.key else {
      throw .keyMismatch(file: file, found: header.key, expected: "\(self.header.key) (\(keyFile))")
    }
    guard header.spec == spec else {
      throw .malformed(file: file, reason: "its parameters differ from those of the key \(keyFile)")
    }
  }
}
