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

  /// A plaintext as typed: an integer literal is encoded exactly at
  /// exponent 0; anything else is read as a real number (python-paillier's
  /// float encoding).
  static func encode(_ text: String, publicKey: Paillier.PublicKey) throws -> Paillier.EncodedNumber {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let integer = try? BigInteger(trimmed, radix: 10) {
      return try Paillier.EncodedNumber(integer, publicKey: publicKey)
    }
    guard let real = Double(trimmed) else { throw CLIError("not a number: \"\(text)\"") }
    return try Paillier.EncodedNumber(real, publicKey: publicKey)
  }

  /// A decrypted value as text: an exact integer when the value is one at a
  /// non-negative exponent, else the nearest `Double` (as pheutil prints it).
  static func format(_ encoded: Paillier.EncodedNumber) throws -> String {
    if encoded.exponent >= 0 { return try encoded.integerValue().description }
    return String(try encoded.doubleValue())
  }

  /// pheutil's serialisation: real-valued ciphertexts are lowered to
  /// exponent −32 (hiding their precision); integers keep exponent 0.
  static func serialise(_ ciphertext: Paillier.Ciphertext) throws -> String {
    if ciphertext.exponent < 0 && ciphertext.exponent > -32 {
      return try ciphertext.decreasingExponent(to: -32).jsonString
    }
    return ciphertext.jsonString
  }

  /// Checks the header line of the batch file `file` against the key read from
  /// `keyFile`; a refusal names both files.
  static func validateHeader(
    _ line: String, file: String, publicKey: Paillier.PublicKey, keyFile: String
  ) throws -> Paillier.Batch.Header {
    do {
      return try Paillier.Batch.validateHeader(line, for: publicKey)
    } catch .keyMismatch {
      throw CLIError("\(file) was encrypted under a different public key than the one in \(keyFile)")
    } catch {
      throw CLIError("\(file): \(error.localizedDescription)")
    }
  }

  /// Transforms the remaining record lines of a batch file, 64 at a time over
  /// all cores, writing one output line per record in order (see
  /// ``forEachRecordChunk(from:path:header:publicKey:verb:_:consume:)``).
  @discardableResult
  static func transformRecords(
    from reader: LineReader, path: String, header: Paillier.Batch.Header, to out: Output,
    publicKey: Paillier.PublicKey, verb: String, _ body: @escaping @Sendable ([Paillier.Ciphertext]) throws -> String
  ) throws -> Int {
    try forEachRecordChunk(from: reader, path: path, header: header, publicKey: publicKey, verb: verb, body) { lines in
      for line in lines { try out.write(line + "\n") }
    }
  }

  /// Parses and maps the remaining record lines of a batch file, 64 at a
  /// time over all cores, handing each chunk's results to `consume` in order.
  /// Blank lines are skipped; an error names the file and line (counting the
  /// header as line 1). A version-2 file must end with its trailer, whose
  /// counts must match (``BatchTrailerCheck``); a version-1 file is read with a
  /// warning. Progress goes to a terminal's standard error under `verb`. Returns the number of records.
  @discardableResult
  static func forEachRecordChunk<R: Sendable>(
    from reader: LineReader, path: String, header: Paillier.Batch.Header, publicKey: Paillier.PublicKey, verb: String,
    _ body: @escaping @Sendable ([Paillier.Ciphertext]) throws -> R,
    consume: ([R]) throws -> Void
  ) throws -> Int {
    var rows: [(Int, String)] = []
    var lineNumber = 1
    var records = 0
    var end = BatchTrailerCheck(paillier: path, header: header)
    let progress = ProgressLine(verb, input: reader)
    func flush() throws {
      let results = try parallelMap(rows) { (number, line) -> R in
        do {
          return try body(Paillier.Batch.parseRecord(line, publicKey: publicKey))
        } catch {
          throw CLIError("\(path), line \(number): \(error.localizedDescription)")
        }
      }
      try consume(results)
      progress.advance(by: rows.count)
      records += rows.count
      rows.removeAll(keepingCapacity: true)
    }
    while let line = try reader.next() {
      lineNumber += 1
      if line.isBlank { continue }
      if try end.isTrailer(line, number: lineNumber) { continue }
      end.count(records: 1)
      rows.append((lineNumber, line))
      if rows.count == 64 { try flush() }
    }
    try flush()
    progress.finish()
    guard records > 0 else {
      throw CLIError("\(path): no record after the header: the file is truncated (hekit never writes one without records)")
    }
    try end.finish()
    return records
  }

  /// Runs `body` over `items` on all cores, keeping order.
  static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) throws -> R) throws -> [R] {
    try BigNum.parallelMap(items.count) { try body(items[$0]) }
  }
}
