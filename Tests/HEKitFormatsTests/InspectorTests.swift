import BFV
import BigNum
import Foundation
import HEKitFormats
import Paillier
import Tabular
import Testing

/// ``Inspection``: every kind of HEKit file is recognised and checked, and
/// garbled input is refused with a ``FormatError``.
@Suite("Inspection of HEKit files")
struct InspectorTests {
  /// A 1024-bit key: insecure, enough to recognise its files.
  static let paillierKey: Paillier.PrivateKey = {
    do { return try Paillier.PrivateKey.insecureGenerate(bits: 1024) } catch { fatalError("key generation failed: \(error)") }
  }()

  /// BFV keys at N = 4096 (three 24-bit plaintext moduli).
  static let bfvKeys: (public: BFVKeyFile, secret: BFVKeyFile) = {
    do {
      return try BFVKeyFile.generate(BFVParameterSpec(preset: .n4096), comment: "test")
    } catch { fatalError("key generation failed: \(error)") }
  }()

  static func inspect(_ text: String, file: String = "f") throws -> Inspection {
    try Inspection(contents: Data(text.utf8), file: file)
  }

  /// The reason of a ``FormatError`` thrown by inspecting `text`.
  static func refusal(_ text: String) -> FormatError? {
    #expect(throws: FormatError.self) { try inspect(text) }
  }

  // MARK: Paillier

  @Test("Paillier public and private keys: kind, identity (shared), size, and no secret")
  func paillierKeys() throws {
    let key = Self.paillierKey
    let publicInspection = try Self.inspect(key.publicKey.jwkString(kid: "mine"))
    #expect(publicInspection.kind == .paillierPublicKey && publicInspection.scheme == .paillier)
    #expect(publicInspection["key"] == .string(Inspection.paillierIdentity(key.publicKey.n)))
    #expect(publicInspection["secure"] == .bool(false))
    #expect(publicInspection["comment"] == .string("mine"))
    #expect(publicInspection["parameters"] == .described("n of 1024 bits", .object([Inspection.Field("bits", .int(1024))])))
    let privateInspection = try Self.inspect(key.jwkString())
    #expect(privateInspection.kind == .paillierPrivateKey)
    #expect(privateInspection["key"] == publicInspection["key"])
    #expect(privateInspection["secret"] != nil)
    let shown = "\(privateInspection)"
    #expect(!shown.contains(key.p.description) && !shown.contains(key.q.description))
  }

  @Test("a pheutil ciphertext: exponent and value size")
  func paillierCiphertext() throws {
    let c = try Self.paillierKey.publicKey.encrypt(42)
    let inspection = try Self.inspect(c.jsonString)
    #expect(inspection.kind == .paillierCiphertext && inspection.scheme == .paillier)
    #expect(inspection["exponent"] == .int(0))
    #expect(Self.refusal(#"{"v": "-5", "e": 0}"#) == .malformed(
      file: "f", reason: "a garbled pheutil ciphertext: \"v\" is not a positive decimal integer"))
  }

  /// A Paillier batch file of `records` records of 2 values, with its trailer when `trailer`.
  static func paillierBatch(records: Int, annotations: [String: String] = [:], trailer: Bool = true) throws -> [String] {
    let key = paillierKey.publicKey
    var lines = [Paillier.Batch.header(for: key, .init(columns: ["a", "b"], annotations: annotations))]
    for i in 0..<records { lines.append(Paillier.Batch.record(try key.encrypt(batch: [BigInteger(i), 7]))) }
    if trailer { lines.append(Paillier.Batch.Trailer(records: records, lines: records).line) }
    return lines
  }

  @Test("Paillier batch files of records and of scores: counts, columns, trailer, key")
  func paillierBatches() throws {
    let records = try Self.inspect(Self.paillierBatch(records: 3).joined(separator: "\n") + "\n")
    #expect(records.kind == .paillierRecords && records.scheme == .paillier)
    #expect(records["records"] == .int(3) && records["columns"] == .int(2) && records["names"] == .strings(["a", "b"]))
    #expect(records["key"] == .string(Inspection.paillierIdentity(Self.paillierKey.publicKey.n)))
    #expect(records["trailer"] == .string("present, counts match"))
    let scores = try Self.inspect(
      Self.paillierBatch(records: 2, annotations: ["model-kind": "logistic", "model-threshold": "0.5"]).joined(separator: "\n"))
    #expect(scores.kind == .paillierScores && scores["model"] == .string("logistic") && scores["threshold"] == .double(0.5))
  }

  @Test("Paillier batch files cut short, joined or garbled are refused, naming the line")
  func paillierBatchRefusals() throws {
    let whole = try Self.paillierBatch(records: 3)
    let cut = Self.refusal(whole.dropLast().joined(separator: "\n"))
    #expect(cut == .truncated(file: "f", detail: "no trailer (HEKit writes one as the last line)"))
    guard case .malformedLine(_, 3, _) = Self.refusal(whole.enumerated().map { $0.offset == 2 ? "[{\"v\": 1" : $0.element }.joined(separator: "\n"))
    else { Issue.record("a garbled record is not refused at line 3"); return }
    guard case .malformedLine(_, 6, _) = Self.refusal((whole + [whole[1]]).joined(separator: "\n")) else {
      Issue.record("a line after the trailer is not refused at line 6")
      return
    }
    guard case .malformed = Self.refusal(#"{"format": "hekit-paillier-batch", "version": 2, "n": "!"}"#) else {
      Issue.record("a garbled header is not refused")
      return
    }
  }

  // MARK: BFV

  @Test("BFV public and secret key files: kind, identity, keys, parameters")
  func bfvKeys() throws {
    let (publicKeys, secretKeys) = Self.bfvKeys
    let publicInspection = try Self.inspect(try publicKeys.text())
    #expect(publicInspection.kind == .bfvPublicKey && publicInspection.scheme == .bfv)
    #expect(publicInspection["key"] == .string(publicKeys.header.key) && publicInspection["keys"] == .int(3))
    #expect(publicInspection["keyIdentity"] == .string("checked against the public keys"))
    #expect(publicInspection["comment"] == .string("test"))
    guard case .described(let text, .object(let fields)) = publicInspection["parameters"] else {
      Issue.record("no parameters")
      return
    }
    #expect(text.hasPrefix("N=4096, log q ") && fields.first == Inspection.Field("degree", .int(4096)))
    let secretInspection = try Self.inspect("\n" + (try secretKeys.text()))  // a blank line first is skipped
    #expect(secretInspection.kind == .bfvSecretKey && secretInspection["key"] == publicInspection["key"])
    #expect(secretInspection["secret"] != nil)
  }

  @Test("BFV key files with swapped or missing lines are refused")
  func bfvKeyRefusals() throws {
    let lines = try Self.bfvKeys.public.text().split(separator: "\n").map(String.init)
    guard case .malformedLine(_, 2, _) = Self.refusal([lines[0], lines[2], lines[1], lines[3]].joined(separator: "\n")) else {
      Issue.record("swapped keys are not refused at line 2")
      return
    }
    guard case .malformedLine(_, 4, _) = Self.refusal(lines.prefix(3).joined(separator: "\n")) else {
      Issue.record("a missing key is not refused at line 4")
      return
    }
    guard case .malformed = Self.refusal(lines[0].replacingOccurrences(of: Self.bfvKeys.public.header.key, with: "xyz")) else {
      Issue.record("a bad key identity is not refused")
      return
    }
  }

  /// A BFV batch file of 2 records of 2 columns in one batch line, under the test keys.
  static func bfvRecords() throws -> [String] {
    let keys = bfvKeys.public
    var header = BFVFileHeader(format: BFVFileHeader.recordsFormat, key: keys.header.key, spec: keys.spec)
    header.columns = ["a", "b"]
    header.exponents = [-8, -8]
    header.ranges = [[0, 10], [0, 10]]
    header.encryption = "public-key"
    header.precisionBits = 8
    let blobs = try zip(keys.parameters, keys.publicKeys).map { parameters, key in
      let encoder = BFV.Encoder(parameters: parameters)
      return try (0..<2).map { j in try key.encrypt(encoder.encode([UInt64(j), 1] as [UInt64])).serialized() }
    }
    let line = BFVBatchLine.encode(.records, count: 2, binding: try header.binding(), blobs: blobs)
    return [try header.line(), line, BFVFileTrailer(format: BFVFileHeader.recordsFormat, records: 2, lines: 1).line]
  }

  @Test("a BFV records batch file: counts, columns, trailer; the reader is told the line limit")
  func bfvRecords() throws {
    let lines = try Self.bfvRecords()
    var next = lines.makeIterator()
    var limit: Int?
    let inspection = try Inspection(lines: { next.next() }, file: "r.enc", lineLimit: { limit = $0 })
    #expect(inspection.kind == .bfvRecords && inspection.scheme == .bfv && inspection.summary == "a BFV batch file of encrypted records")
    #expect(inspection["records"] == .int(2) && inspection["batches"] == .int(1) && inspection["columns"] == .int(2))
    #expect(inspection["names"] == .strings(["a", "b"]) && inspection["encryption"] == .string("public-key"))
    #expect(inspection["key"] == .string(Self.bfvKeys.public.header.key))
    let keys = Self.bfvKeys.public
    #expect(limit == BFVBatchLine.maximumTextLength(moduli: 3, values: 2, parameters: keys.parameters[0]))
    #expect(limit.map { lines[1].utf8.count <= $0 } == true)
    #expect(inspection.fields.map(\.name).prefix(3) == ["key", "parameters", "columns"])
  }

  @Test("BFV batch files cut, joined or rebound are refused, naming the line")
  func bfvRecordRefusals() throws {
    let lines = try Self.bfvRecords()
    #expect(Self.refusal(lines.dropLast().joined(separator: "\n")) == .truncated(file: "f", detail: "no trailer (HEKit writes one as the last line)"))
    guard case .malformedLine(_, 4, _) = Self.refusal((lines + [lines[1]]).joined(separator: "\n")) else {
      Issue.record("a line after the trailer is not refused at line 4")
      return
    }
    // The same line under a header that differs (another column name): its binding no longer matches.
    let rebound = lines[0].replacingOccurrences(of: #""a""#, with: #""c""#)
    guard case .malformedLine(_, 2, _) = Self.refusal([rebound, lines[1], lines[2]].joined(separator: "\n")) else {
      Issue.record("a line bound to another header is not refused at line 2")
      return
    }
  }

  // MARK: Models and other input

  @Test("a model: kind, features, scaler, threshold")
  func model() throws {
    let model = try LinearModel(kind: .logistic, features: ["x", "y"], weights: [1, -2], intercept: 0.5, threshold: 0.7)
    let inspection = try Self.inspect(String(decoding: try model.jsonData(), as: UTF8.self))
    #expect(inspection.kind == .model && inspection.scheme == nil)
    #expect(inspection.summary == "a logistic model (HEKit model JSON)")
    #expect(inspection["features"] == .int(2) && inspection["names"] == .strings(["x", "y"]))
    #expect(inspection["scaler"] == .bool(false) && inspection["threshold"] == .double(0.7))
    guard case .malformed(_, let reason) = Self.refusal(#"{"format": "hekit-model", "features": ["x"]}"#) else {
      Issue.record("a garbled model is not refused")
      return
    }
    #expect(reason.hasPrefix("a garbled model"))
  }

  @Test(
    "empty, foreign and ambiguous input is refused with FormatError.malformed",
    arguments: [
      ("", "the file is empty"), (" \n\t\n", "the file is empty"), ("not a HEKit file\n1,2,3\n", "not a HEKit file"),
      (#"{"a": 1, "a": 2}"#, "ambiguous"), (#"{"x": 1}"#, "no HEKit kind"), (#"{"kty": "DAJ", "n": "AQ"}"#, "garbled Paillier key"),
      (#"{"format": "hekit-bfv-public-key", "version": 1}"#, "not a HEKit BFV header"),
    ])
  func garbled(text: String, reason: String) {
    guard case .malformed("f", let found) = Self.refusal(text) else {
      Issue.record("\(text.debugDescription) is not refused as malformed")
      return
    }
    #expect(found.contains(reason), "\(found)")
  }

  @Test("errors of the lines function pass through unchanged")
  func readerErrors() {
    struct Broken: Error, Equatable {}
    #expect(throws: Broken()) { try Inspection(lines: { throw Broken() }, file: "f") }
  }
}
