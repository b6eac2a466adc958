import BigNum

#if canImport(FoundationEssentials)
  import FoundationEssentials
#endif
import Foundation

extension Paillier {
  /// hekit's line-oriented file of many ciphertexts under one key: a header
  /// line naming the format and the key, one record per line (a JSON array of
  /// pheutil ciphertext objects, one per column), and a trailer counting them
  /// (version 2), so that a file cut at a line boundary is told from a whole
  /// one.
  ///
  /// Record lines are independent, so the file streams in constant memory and
  /// a shard of them (given the header) can be processed on its own; the
  /// trailer belongs to the whole file. The layout is in the module's
  /// Formats section.
  public enum Batch {
    /// The header's `format` value.
    public static let formatName = "hekit-paillier-batch"
    /// The header's `version` value this build writes.
    public static let version = 2
    /// The versions this build reads: version 1 had no trailer.
    public static let readableVersions = 1...2

    /// What a header says beyond the key: the names of the values in each
    /// record, and other string fields (such as the model that produced a
    /// file of scores), kept as read.
    public struct Header: Sendable, Equatable {
      /// One name per value of a record, when the writer knew them.
      public var columns: [String]?
      /// Other string-valued fields of the header line.
      public var annotations: [String: String]
      /// The format version read (``version`` for a header to write).
      public var version: Int

      public init(columns: [String]? = nil, annotations: [String: String] = [:]) {
        self.columns = columns
        self.annotations = annotations
        self.version = Batch.version
      }

      /// Whether the file ends with a trailer (version 2 and later).
      public var hasTrailer: Bool { version >= 2 }
    }

    /// The last line of a version-2 file: how many records and record lines
    /// precede it (one record per line in a Paillier file).
    public struct Trailer: Sendable, Equatable {
      /// The records of the file.
      public var records: Int
      /// The record lines of the file (blank lines not counted).
      public var lines: Int

      public init(records: Int, lines: Int) {
        self.records = records
        self.lines = lines
      }

      /// The trailer line (without newline).
      public var line: String {
        Paillier.jsonObject([
          ("trailer", Paillier.jsonString(formatName)), ("records", String(records)), ("lines", String(lines)),
        ])
      }

      /// Whether a line of a batch file is its trailer rather than a record
      /// (records are JSON arrays, the trailer an object).
      public static func isTrailer(_ line: some StringProtocol) -> Bool {
        line.drop(while: { $0 == " " || $0 == "\t" }).first == "{"
      }

      /// Parses a trailer line.
      /// - Throws: ``PaillierError/malformedData(_:)``.
      public init(parsing line: some StringProtocol) throws(PaillierError) {
        let object = try Paillier.parseObject(Array(line.utf8), what: "batch trailer")
        guard object["trailer"] as? String == formatName,
          let records = (object["records"] as? NSNumber)?.intValue, let lines = (object["lines"] as? NSNumber)?.intValue,
          records >= 0, lines >= 0
        else {
          throw .malformedData("the batch trailer must be {\"trailer\": \"\(formatName)\", \"records\": N, \"lines\": M}")
        }
        self.init(records: records, lines: lines)
      }
    }

    static let reservedFields: Set<String> = ["format", "version", "n", "columns"]

    /// The header line (without newline) for `publicKey`, with optional
    /// column names and annotations (whose keys must not be `format`,
    /// `version`, `n` or `columns`; such keys are skipped).
    public static func header(for publicKey: PublicKey, _ header: Header = Header()) -> String {
      var fields = [
        ("format", Paillier.jsonString(formatName)), ("version", String(version)),
        ("n", Paillier.jsonString((try? publicKey.n.base64URLString()) ?? "")),
      ]
      if let columns = header.columns {
        fields.append(("columns", "[" + columns.map(Paillier.jsonString).joined(separator: ", ") + "]"))
      }
      for (key, value) in header.annotations.sorted(by: { $0.key < $1.key }) where !reservedFields.contains(key) {
        fields.append((key, Paillier.jsonString(value)))
      }
      return Paillier.jsonObject(fields)
    }

    /// Whether a line looks like a batch header (to tell a batch file from a single ciphertext).
    public static func isHeader(_ line: some StringProtocol) -> Bool {
      line.contains("\"format\"") && line.contains(formatName)
    }

    /// Checks a header line against `publicKey` and returns what else it says.
    /// - Throws: ``PaillierError/malformedData(_:)``, ``PaillierError/keyMismatch``.
    @discardableResult
    public static func validateHeader(_ line: some StringProtocol, for publicKey: PublicKey) throws(PaillierError)
      -> Header
    {
      let object = try Paillier.parseObject(Array(line.utf8), what: "batch header")
      let n = try modulus(ofHeader: object)
      guard n == publicKey.n else { throw .keyMismatch }
      return try parseHeader(object)
    }

    /// The key modulus a header names, for readers that hold no key file
    /// (a scoring server builds the public key from it).
    /// - Throws: ``PaillierError/malformedData(_:)``.
    public static func modulus(ofHeader line: some StringProtocol) throws(PaillierError) -> BigInteger {
      try modulus(ofHeader: Paillier.parseObject(Array(line.utf8), what: "batch header"))
    }

    private static func modulus(ofHeader object: [String: Any]) throws(PaillierError) -> BigInteger {
      guard object["format"] as? String == formatName else { throw .malformedData("not a \(formatName) file") }
      guard let found = (object["version"] as? NSNumber)?.intValue, readableVersions.contains(found) else {
        throw .malformedData(
          "unsupported batch version (this build reads versions \(readableVersions.lowerBound) to \(readableVersions.upperBound))")
      }
      return try Paillier.base64Integer(object, "n", "batch header")
    }

    private static func parseHeader(_ object: [String: Any]) throws(PaillierError) -> Header {
      var header = Header()
      header.version = (object["version"] as? NSNumber)?.intValue ?? version
      if let columns = object["columns"] {
        guard let names = columns as? [String] else {
          throw .malformedData("batch header: \"columns\" must be an array of strings")
        }
        header.columns = names
      }
      for (key, value) in object where !reservedFields.contains(key) {
        if let text = value as? String { header.annotations[key] = text }
      }
      return header
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
      guard let array = try Paillier.parseJSON(Data(line.utf8), what: "a batch record") as? [[String: Any]] else {
        throw .malformedData("a batch record must be a JSON array of {\"v\", \"e\"} objects")
      }
      var result: [Ciphertext] = []
      result.reserveCapacity(array.count)
      for object in array { result.append(try Ciphertext(jsonObject: object, publicKey: publicKey)) }
      return result
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
    return try parallelMap(values.count) { (index) throws(PaillierError) in
      try self.encrypt(values[index], mode: mode)
    }
  }
}

extension Paillier.PrivateKey {
  /// Decrypts many ciphertexts over all cores (order kept).
  /// - Throws: the first error of ``decrypt(_:)``.
  public func decrypt(batch ciphertexts: [Paillier.Ciphertext]) throws(PaillierError) -> [BigInteger] {
    try parallelMap(ciphertexts.count) { (index) throws(PaillierError) in
      try self.decrypt(ciphertexts[index])
    }
  }
}
