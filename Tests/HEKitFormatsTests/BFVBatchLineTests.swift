import BFV
import Foundation
import HEKitFormats
import PolyRing
import Testing

/// The framing of the BFV batch lines `hekit` streams: every hostile line is
/// refused with a reason, before anything is allocated for what it declares.
@Suite("BFV batch lines")
struct BFVBatchLineTests {
  static let parameters: BFV.Parameters = {
    let primes = try! Modulus.nttFriendlyPrimes(bitWidths: [40, 40], degree: 16).map(\.value)
    return try! BFV.Parameters(insecureDegree: 16, coefficientModuli: primes, plaintextModulus: 97)
  }()

  /// The raw bytes of a line: the frame, then `blobs` with their lengths.
  static func frame(
    version: UInt8 = 2, content: UInt8 = 1, moduli: Int, count: Int, values: Int, lengths: [UInt32]? = nil,
    blobs: [[UInt8]]
  ) -> [UInt8] {
    var bytes = Array("HEKL".utf8) + [version, content]
    func put(_ v: Int, _ width: Int) { for k in 0..<width { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
    put(moduli, 2)
    put(count, 4)
    put(values, 4)
    bytes += binding
    for (k, blob) in blobs.enumerated() {
      put(Int(lengths?[k] ?? UInt32(blob.count)), 4)
      bytes += blob
    }
    return bytes
  }

  static func line(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

  /// A header binding for the lines of these tests.
  static let binding = [UInt8](0..<16)

  @Test("a line round-trips: content, count, moduli, values and each ciphertext")
  func roundTrip() throws {
    let key = BFV.SecretKey(parameters: Self.parameters)
    let encoder = BFV.Encoder(parameters: Self.parameters)
    let blobs = try (0..<2).map { _ in try (0..<3).map { j in try key.encrypt(encoder.encode([UInt64(j)])).serialized() } }
    let text = BFVBatchLine.encode(.scores, count: 5, binding: Self.binding, blobs: blobs)
    let line = try BFVBatchLine(text)
    #expect(line.content == .scores && line.count == 5 && line.moduli == 2 && line.values == 3)
    try line.check(.scores, moduli: 2, values: 3, capacity: 16, binding: Self.binding)
    for j in 0..<3 {
      let plaintext = try key.decrypt(line.ciphertext(1, j, parameters: Self.parameters))
      #expect(try encoder.decode(plaintext)[0] == UInt64(j))
    }
  }

  @Test("the longest line a header allows is exactly a batch of unrelinearised products; fresh ones fit under it")
  func maximumTextLength() throws {
    let key = BFV.SecretKey(parameters: Self.parameters)
    let publicKey = key.publicKey()
    let encoder = BFV.Encoder(parameters: Self.parameters)
    let fresh = try publicKey.encrypt(encoder.encode([3] as [UInt64]))
    let product = try fresh.multiplied(by: fresh)
    #expect(product.polynomialCount == 3 && product.serializedSize == BFV.Ciphertext.maximumSerializedSize(parameters: Self.parameters))
    let bound = BFVBatchLine.maximumTextLength(moduli: 2, values: 3, parameters: Self.parameters)
    let widest = BFVBatchLine.encode(.records, count: 1, binding: Self.binding, blobs: Array(repeating: Array(repeating: product.serialized(), count: 3), count: 2))
    #expect(widest.utf8.count == bound)
    let seeded = BFVBatchLine.encode(.records, count: 1, binding: Self.binding, blobs: Array(repeating: Array(repeating: try key.encrypt(encoder.encode([1] as [UInt64])).serialized(), count: 3), count: 2))
    #expect(seeded.utf8.count < bound)
    #expect(BFVBatchLine.maximumTextLength(moduli: 6, values: 1 << 20, parameters: Self.parameters) > bound)
    #expect(BFVBatchLine.maximumTextLength(moduli: .max, values: .max, parameters: Self.parameters) == .max)
  }

  static let hostile: [(String, [UInt8]?, String)] = [
    ("empty", [], "not a HEKit BFV batch line"),
    ("wrong magic", Array("HEKX".utf8) + [UInt8](repeating: 1, count: 12), "not a HEKit BFV batch line"),
    ("future version", frame(version: 3, moduli: 1, count: 1, values: 1, blobs: [[0]]), "version 3"),
    ("version 1 (no binding)", frame(version: 1, moduli: 1, count: 1, values: 1, blobs: [[0]]), "version 1"),
    ("cut inside the binding", Array(frame(moduli: 1, count: 1, values: 1, blobs: []).prefix(20)), "truncated"),
    ("unknown content", frame(content: 9, moduli: 1, count: 1, values: 1, blobs: [[0]]), "unknown batch content 9"),
    ("no moduli", frame(moduli: 0, count: 1, values: 1, blobs: []), "0 moduli"),
    ("seven moduli", frame(moduli: 7, count: 1, values: 1, blobs: []), "7 moduli"),
    ("2^20 + 1 values declared", frame(moduli: 1, count: 1, values: (1 << 20) + 1, blobs: []), "1048577 values"),
    // Enormous declared sizes with nothing behind them: refused as truncated, nothing allocated for them.
    ("6 × 2^20 values declared, none present", frame(moduli: 6, count: 1, values: 1 << 20, blobs: []), "truncated"),
    ("a 4 GiB ciphertext declared", frame(moduli: 1, count: 1, values: 1, lengths: [UInt32.max], blobs: [[1, 2, 3]]), "truncated"),
    ("a length past the end", frame(moduli: 1, count: 1, values: 1, lengths: [4], blobs: [[1, 2, 3]]), "truncated"),
    ("bytes after the last ciphertext", frame(moduli: 1, count: 1, values: 1, blobs: [[1]]) + [0], "1 bytes after the last ciphertext"),
  ]

  @Test("hostile framing is refused with a reason", arguments: 0..<hostile.count)
  func refusesHostileFrames(_ index: Int) {
    let (name, bytes, reason) = Self.hostile[index]
    #expect(throws: BFVBatchLine.LineError.self, "\(name)") { try BFVBatchLine(Self.line(bytes!)) }
    do {
      _ = try BFVBatchLine(Self.line(bytes!))
    } catch {
      #expect(error.reason.contains(reason), "\(name): \(error.reason)")
    }
  }

  @Test("text that is not base64, and every truncation of a real line, are refused")
  func truncationsAndGarbage() throws {
    #expect(throws: BFVBatchLine.LineError.self) { try BFVBatchLine("not base64 at all!") }
    let key = BFV.SecretKey(parameters: Self.parameters)
    let blob = try key.encrypt(BFV.Encoder(parameters: Self.parameters).encode([7] as [UInt64])).serialized()
    let bytes = Self.frame(moduli: 1, count: 1, values: 2, blobs: [blob, blob])
    for cut in 0..<bytes.count {
      #expect(throws: BFVBatchLine.LineError.self, "cut at \(cut)") { try BFVBatchLine(Self.line(Array(bytes.prefix(cut)))) }
    }
    #expect(try BFVBatchLine(Self.line(bytes)).values == 2)
  }

  @Test("a line written a ciphertext at a time is the line written at once, for every split of the base64 groups")
  func streamedWriterMatchesEncode() throws {
    for lengths in [[1, 2, 3], [3, 3, 3], [4, 5, 7], [2, 2, 2]] {
      let blobs = [lengths.enumerated().map { k, n in [UInt8](repeating: UInt8(k + 1), count: n) }]
      var writer = BFVBatchLine.Writer(.records, count: 1, binding: Self.binding, moduli: 1, values: lengths.count)
      var text = writer.start()
      var pieces = [text]
      for blob in blobs[0] {
        pieces.append(writer.append(blob))
        text += pieces.last!
      }
      text += writer.finish()
      #expect(pieces.allSatisfy { !$0.contains("=") }, "padding only at the end")
      #expect(Data(base64Encoded: text).map([UInt8].init) == Self.frame(moduli: 1, count: 1, values: lengths.count, blobs: blobs[0]))
      #expect(text == BFVBatchLine.encode(.records, count: 1, binding: Self.binding, blobs: blobs))
    }
  }

  @Test("a ciphertext that does not read, or a line that does not fit its file, is named")
  func badContents() throws {
    let line = try BFVBatchLine(Self.line(Self.frame(moduli: 1, count: 3, values: 1, blobs: [[1, 2, 3]])))
    #expect(throws: BFVBatchLine.LineError.self) { try line.ciphertext(0, 0, parameters: Self.parameters) }
    do { _ = try line.ciphertext(0, 0, parameters: Self.parameters) } catch {
      #expect(error.reason.hasPrefix("ciphertext 1 of modulus 1: "), "\(error.reason)")
    }
    let checks: [(() throws(BFVBatchLine.LineError) -> Void, String)] = [
      ({ () throws(BFVBatchLine.LineError) in try line.check(.scores, moduli: 1, values: 1, capacity: 16, binding: Self.binding) }, "a line of records in a file of scores"),
      ({ () throws(BFVBatchLine.LineError) in try line.check(.records, moduli: 2, values: 1, capacity: 16, binding: Self.binding) }, "where the header says 2 × 1"),
      ({ () throws(BFVBatchLine.LineError) in try line.check(.records, moduli: 1, values: 1, capacity: 2, binding: Self.binding) }, "3 records in a batch of 2 slots"),
      ({ () throws(BFVBatchLine.LineError) in try line.check(.records, moduli: 1, values: 1, capacity: 16, binding: [UInt8](repeating: 0, count: 16)) }, "the line belongs to another file"),
    ]
    for (check, reason) in checks {
      do {
        try check()
        Issue.record("accepted: \(reason)")
      } catch {
        #expect(error.reason.contains(reason), "\(error.reason)")
      }
    }
  }
}
