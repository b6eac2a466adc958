import BFV
import BigNum
import Foundation
import HEKitFormats
import Paillier
import Testing
import _TestSupport

/// Issue 16: batch files split into shards that are batch files of their
/// own, and shards joined back in order.
@Suite("Batch shards: split and join")
struct BatchShardsTests {
  static let paillierKey: Paillier.PrivateKey = {
    do { return try Paillier.PrivateKey.insecureGenerate(bits: 1024) } catch { fatalError("key generation failed: \(error)") }
  }()

  /// A Paillier records file of `records` records of 2 values.
  static func paillier(records: Int) throws -> String {
    let key = paillierKey.publicKey
    var lines = [Paillier.Batch.header(for: key, .init(columns: ["a", "b"]))]
    for i in 0..<records { lines.append(Paillier.Batch.record(try key.encrypt(batch: [BigInteger(i), 7]))) }
    lines.append(Paillier.Batch.Trailer(records: records, lines: records).line)
    return lines.joined(separator: "\n") + "\n"
  }

  /// A BFV records file of `lines` batch lines under the N = 4096 preset (the
  /// lines are frames bound to the header; their ciphertexts are not read here).
  static func bfv(lines: Int, key: String = String(repeating: "ab", count: 16)) throws -> String {
    let base = try BFV.Parameters(preset: .n4096)
    let spec = BFVParameterSpec(degree: 4096, coefficientModuli: base.coefficientModuli, plaintextModuli: [base.plaintextModulus])
    var header = BFVFileHeader(format: BFVFileHeader.recordsFormat, key: key, spec: spec)
    header.encryption = "public-key"
    header.columns = ["a", "b"]
    header.exponents = [10, 12]
    header.ranges = [[0, 9], [-1, 1]]
    let binding = try header.binding()
    var text = [try header.line()]
    var records = 0
    for i in 0..<lines {
      let count = 100 + i
      records += count
      text.append(BFVBatchLine.encode(.records, count: count, binding: binding, blobs: [[[UInt8(i), 1, 2]], [[UInt8(i), 3]]]))
    }
    text.append(BFVFileTrailer(format: BFVFileHeader.recordsFormat, records: records, lines: lines).line)
    return text.joined(separator: "\n") + "\n"
  }


  static func split(_ text: String, _ count: Int) throws -> [String] {
    var shards = Array(repeating: "", count: count)
    try BatchShards.split(file: "f", shards: count, open: { lineSource(text) }) { shards[$0] += $1 }
    return shards
  }

  static func join(_ shards: [(String, String)]) throws -> String {
    var out = ""
    try BatchShards.join(shards: shards.map { ($0.0, lineSource($0.1)) }) { out += $0 }
    return out
  }

  static func named(_ shards: [String]) -> [(String, String)] {
    shards.enumerated().map { ("s\($0.offset)", $0.element) }
  }

  static func sources() throws -> [(String, String)] {
    [("paillier", try paillier(records: 7)), ("bfv", try bfv(lines: 5))]
  }

  @Test("split then join gives the source back, byte for byte; shards carry the shard field and their own trailer")
  func roundTrip() throws {
    for (scheme, source) in try Self.sources() {
      for count in [1, 2, 3, 5] {
        let shards = try Self.split(source, count)
        #expect(try Self.join(Self.named(shards)) == source, "\(scheme), \(count) shards")
        let header = String(shards[count - 1].prefix { $0 != "\n" })
        let shard = try #require(header.firstRange(of: "\"shard\": \"source=").map { header[$0.upperBound...] })
        #expect(shard.contains("index=\(count - 1) count=\(count) line="))
      }
      // Each shard is a whole batch file: a BFV shard's lines keep their binding.
      for shard in try Self.split(source, 3) where scheme == "bfv" {
        let text = try BFVFileText(shard, file: "s", expected: BFVFileHeader.recordsFormat)
        #expect(text.header.shard != nil)
        let binding = try text.header.binding()
        let next = text.linesAfterHeader()
        let first = try BFVBatchLine(try #require(next()))
        #expect(first.binding == binding)
      }
    }
  }

  @Test("a reordered, missing or duplicated shard, a shard of another file and a whole file are refused")
  func refusals() throws {
    for (_, source) in try Self.sources() {
      let s = Self.named(try Self.split(source, 3))
      #expect(throws: FormatError.shardsReordered(files: ["s0", "s1", "s2"])) { try Self.join([s[0], s[2], s[1]]) }
      #expect(throws: FormatError.shardMissing(index: 1, count: 3)) { try Self.join([s[0], s[2]]) }
      #expect(throws: FormatError.shardMissing(index: 2, count: 3)) { try Self.join([s[0], s[1]]) }
      #expect(throws: FormatError.shardDuplicated(index: 1, files: ["s1", "s1"])) { try Self.join([s[0], s[1], s[1], s[2]]) }
      #expect(throws: FormatError.notAShard(file: "w")) { try Self.join([s[0], ("w", source)]) }
      #expect(throws: FormatError.malformed(file: "f", reason: "the file is a shard already: join its shards first")) {
        try Self.split(s[0].1, 2)
      }
      let lines = source.split(separator: "\n").count - 2
      #expect(throws: FormatError.malformed(file: "f", reason: "8 shards of \(lines) record lines: at most one shard per record line")) {
        try Self.split(source, 8)
      }
    }
    // Another file of the same header (another encryption) is another source.
    let other = Self.named(try Self.split(try Self.paillier(records: 7), 3))
    let mine = Self.named(try Self.split(try Self.paillier(records: 7), 3))
    guard case .shardOfOtherFile(file: "s1", _, _) = #expect(throws: FormatError.self, performing: { try Self.join([mine[0], other[1], mine[2]]) })
    else { Issue.record("a shard of another file is not refused"); return }
    // A BFV shard under another header (another key) too.
    let bfvOther = Self.named(try Self.split(try Self.bfv(lines: 3, key: String(repeating: "cd", count: 16)), 3))
    let bfvMine = Self.named(try Self.split(try Self.bfv(lines: 3), 3))
    #expect(throws: FormatError.self) { try Self.join([bfvMine[0], bfvOther[1], bfvMine[2]]) }
    // A shard cut short is refused by its own trailer.
    var cut = mine
    cut[1].1 = cut[1].1.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
    #expect(throws: FormatError.truncated(file: "s1", detail: "no trailer (HEKit writes one as the last line)")) { try Self.join(cut) }
  }
}
