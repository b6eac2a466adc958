import BigNum

#if canImport(FoundationEssentials)
  import FoundationEssentials
#endif
import Foundation

extension Paillier {
  /// hekit's line-oriented file of many ciphertexts under one key.
  ///
  /// The first line is a header naming the format and the key:
  /// ```
  /// {"format": "hekit-paillier-batch", "version": 1, "n": "<base64url n>"}
  /// ```
  /// then one record per line, a JSON array of pheutil ciphertext objects
  /// (one per column): `[{"v": "<decimal>", "e": 0}, {"v": "...", "e": -13}]`.
  /// Lines are independent, so the file streams in constant memory and can be
  /// split across workers.
  public enum Batch {
    /// The header's `format` value.
    public static let formatName = "hekit-paillier-batch"
    /// The header's `version` value this build writes and reads.
    public static let version = 1

    /// The header line (without newline) for `publicKey`.
    public static func header(for publicKey: PublicKey) -> String {
      Paillier.jsonObject([
        ("format", Paillier.jsonString(formatName)), ("version", String(version)),
        ("n", Paillier.jsonString((try? publicKey.n.base64URLString()) ?? "")),
      ])
    }

    /// Whether a line looks like a batch header (to tell a batch file from a single ciphertext).
    public static func isHeader(_ line: some StringProtocol) -> Bool {
      line.contains("\"format\"") && line.contains(formatName)
    }

    /// Checks a header line against `publicKey`.
    /// - Throws: ``PaillierError/malformedData(_:)``, ``PaillierError/keyMismatch``.
    public static func validateHeader(_ line: some StringProtocol, for publicKey: PublicKey) throws(PaillierError) {
      let object = try Paillier.parseObject(Array(line.utf8), what: "batch header")
      guard object["format"] as? String == formatName else { throw .malformedData("not a \(formatName) file") }
      guard (object["version"] as? NSNumber)?.intValue == version else {
        throw .malformedData("unsupported batch version (this build reads version \(version))")
      }
      let n = try Paillier.base64Integer(object, "n", "batch header")
      guard n == publicKey.n else { throw .keyMismatch }
    }

    /// One record line (without newline).
    public static func record(_ ciphertexts: [Ciphertext]) -> String {
      "[" + ciphertexts.map(\.jsonString).joined(separator: ", ") + "]"
    }

    /// Parses one record line.
    /// - Throws: ``PaillierError/malformedData(_:)``, ``PaillierError/invalidCiphertext``.
    public static func parseRecord(_ line: some StringProtocol, publicKey: PublicKey) throws(PaillierError)
      -> [Ciphertext]
    {
      guard let array = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]] else {
        throw .malformedData("a batch record must be a JSON array of {\"v\", \"e\"} objects")
      }
      var result: [Ciphertext] = []
      result.reserveCapacity(array.count)
      for object in array { result.append(try Ciphertext(jsonObject: object, publicKey: publicKey)) }
      return result
    }
  }
}

// MARK: Parallel batches

extension Paillier {
  /// Runs `body` for every index in `0 ..< count` over all cores, keeping order,
  /// and rethrows the first error.
  static func parallelMap<T: Sendable>(
    _ count: Int, _ body: @Sendable (Int) throws(PaillierError) -> T
  ) throws(PaillierError) -> [T] {
    let results = ResultBox<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      do throws(PaillierError) {
        results.set(index, .success(try body(index)))
      } catch {
        results.set(index, .failure(error))
      }
    }
    return try results.values()
  }

  private final class ResultBox<T: Sendable>: @unchecked Sendable {  // each slot written by one task
    private var slots: [Result<T, PaillierError>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<T, PaillierError>) {
      lock.lock()
      slots[index] = value
      lock.unlock()
    }
    func values() throws(PaillierError) -> [T] {
      var out: [T] = []
      out.reserveCapacity(slots.count)
      for slot in slots {
        switch slot {
        case .success(let value)?: out.append(value)
        case .failure(let error)?: throw error
        case nil: throw .emptyInput
        }
      }
      return out
    }
  }
}

extension Paillier.PublicKey {
  /// Encrypts many integers over all cores (order kept).
  /// - Throws: the first error of ``encrypt(_:mode:)-(BigInteger,_)``.
  public func encrypt(batch values: [BigInteger], mode: Paillier.EncryptionMode = .djn) throws(PaillierError)
    -> [Paillier.Ciphertext]
  {
    if mode == .djn { _ = try djnTable() }  // build once before the workers start
    return try Paillier.parallelMap(values.count) { (index) throws(PaillierError) in
      try self.encrypt(values[index], mode: mode)
    }
  }
}

extension Paillier.PrivateKey {
  /// Decrypts many ciphertexts over all cores (order kept).
  /// - Throws: the first error of ``decrypt(_:)``.
  public func decrypt(batch ciphertexts: [Paillier.Ciphertext]) throws(PaillierError) -> [BigInteger] {
    try Paillier.parallelMap(ciphertexts.count) { (index) throws(PaillierError) in
      try self.decrypt(ciphertexts[index])
    }
  }
}
