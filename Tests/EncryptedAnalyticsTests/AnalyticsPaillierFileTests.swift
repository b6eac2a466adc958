import BigNum
import DifferentialPrivacy
import EncryptedAnalytics
import HEKitFormats
import Paillier
import Testing

/// The file-level Paillier analytics (`hekit analyze`'s library side): record
/// files aggregated into a result file, the result file decrypted.
@Suite("Analytics on Paillier batch files")
struct AnalyticsPaillierFileTests {
  static let privateKey = try! Paillier.PrivateKey.insecureGenerate(bits: 512)
  static var publicKey: Paillier.PublicKey { privateKey.publicKey }

  /// A batch file of integer records (with their squares when `squares`).
  static func recordFile(
    _ rows: [[Int]], columns: [String], squares: Bool = true, key: Paillier.PublicKey = publicKey
  ) throws -> [String] {
    let names = columns + (squares ? columns.map { $0 + "^2" } : [])
    var lines = [Paillier.Batch.header(for: key, .init(columns: names))]
    for row in rows {
      let values = row + (squares ? row.map { $0 * $0 } : [])
      lines.append(Paillier.Batch.record(try values.map { try key.encrypt($0) }))
    }
    lines.append(Paillier.Batch.Trailer(records: rows.count, lines: rows.count).line)
    return lines
  }

  /// The lines one at a time, as a file reader hands them out.
  static func reader(_ lines: [String]) -> () -> String? {
    var next = lines.makeIterator()
    return { next.next() }
  }

  /// Aggregates files (name → lines) and returns the release and its lines.
  static func aggregate(
    _ files: [(String, [String])], statistics: String = "all", columns: [String]? = nil,
    privacy: DifferentialPrivacy.Mechanism? = nil, bound: Double? = nil
  ) throws -> (Analytics.PaillierFileRelease, [String]) {
    var aggregator = try Analytics.PaillierFileAggregator(
      publicKey: publicKey, keyFile: "k.pub.json", statistics: statistics, columns: columns)
    for (name, lines) in files {
      let next = reader(lines)
      let header = try aggregator.header(try #require(next()), file: name)
      try aggregator.add(file: name, header: header, lines: next)
    }
    let release = try aggregator.release(privacy: privacy, bound: bound)
    var text = ""
    try release.write { text += $0 }
    #expect(text.hasSuffix("\n"))
    return (release, text.split(separator: "\n").map(String.init))
  }

  /// Decrypts a result file's lines.
  static func decrypt(_ lines: [String], file: String = "r.enc") throws -> Analytics.PaillierResultFile.Table {
    let next = reader(lines)
    let result = try Analytics.PaillierResultFile(
      headerLine: try #require(next()), file: file, privateKey: privateKey, keyFile: "k.key.json")
    return try result.decrypt(lines: next)
  }

  static let a = [[1, 10], [2, 20], [3, 30]]
  static let b = [[4, 40], [5, 50]]

  @Test("two files aggregated, the result decrypted exactly")
  func twoFiles() throws {
    let files = [("a.enc", try Self.recordFile(Self.a, columns: ["x", "y"])), ("b.enc", try Self.recordFile(Self.b, columns: ["x", "y"]))]
    let (release, lines) = try Self.aggregate(files)
    #expect(release.records == 5 && release.columns == ["x", "y"] && release.rows == [.count, .sum, .squares])
    #expect(release.privacy == nil && lines.count == 5)
    let table = try Self.decrypt(lines)
    #expect(table.columns == ["x", "y"] && table.privacy == nil)
    #expect(table.rows.map { $0.statistic } == ["count", "sum", "mean", "variance", "std"])
    #expect(table.rows[0].values == [.integer(5), .integer(5)])
    #expect(table.rows[1].values == [.number(15), .number(150)])
    #expect(table.rows[2].values == [.number(3), .number(30)])
    #expect(table.rows[3].values == [.number(2.5), .number(250)])  // sample variances
    #expect(table.result.count == 5)
    #expect(table.result["y"]?.mean == 30 && table.result["x"]?.variance == 2 && table.result["x"]?.sampleVariance == 2.5)
  }

  @Test("a chosen column and statistic: only the rows they need")
  func chosenColumn() throws {
    let (release, lines) = try Self.aggregate(
      [("a.enc", try Self.recordFile(Self.a, columns: ["x", "y"]))], statistics: "sum", columns: ["y"])
    #expect(release.rows == [.sum] && release.columns == ["y"] && lines.count == 3)
    let table = try Self.decrypt(lines)
    #expect(table.rows.map { $0.statistic } == ["sum"] && table.rows[0].values == [.number(60)])
    #expect(table.result.count == nil && table.result["y"]?.mean == nil)
  }

  @Test("with differential privacy: every total noised, the statement in the file")
  func privacy() throws {
    let files = [("a.enc", try Self.recordFile(Self.a, columns: ["x", "y"])), ("b.enc", try Self.recordFile(Self.b, columns: ["x", "y"]))]
    let (release, lines) = try Self.aggregate(files, statistics: "count,mean", privacy: .laplace(epsilon: 1), bound: 50)
    let statement = try #require(release.privacy)
    #expect(statement.shares.map(\.name) == ["count", "sum(x)", "sum(y)"])
    #expect(release.rows == [.count, .sum])
    let table = try Self.decrypt(lines)
    #expect(table.privacy == release.privacyNote && table.privacy?.contains(" | sum(y): sensitivity 50.0") == true)
    guard case .integer(let count) = table.rows[0].values[0] else { Issue.record("no count"); return }
    #expect((count - 5).magnitude < 200)  // noise of standard deviation about 4
    // Squares, at exponent −64, get their own shares.
    let (squared, _) = try Self.aggregate(files, statistics: "variance", privacy: .laplace(epsilon: 1), bound: 50)
    #expect(squared.privacy?.shares.map(\.name) == ["count", "sum(x)", "sum(y)", "sum(x^2)", "sum(y^2)"])
  }

  @Test("a file under another key, of results, or without squares is refused")
  func refusals() throws {
    let other = try Paillier.PrivateKey.insecureGenerate(bits: 512).publicKey
    #expect(throws: FormatError.otherPublicKey(file: "o.enc", keyFile: "k.pub.json")) {
      _ = try Self.aggregate([("o.enc", try Self.recordFile(Self.a, columns: ["x", "y"], key: other))])
    }
    let (_, result) = try Self.aggregate([("a.enc", try Self.recordFile(Self.a, columns: ["x", "y"]))])
    #expect(throws: AnalyticsError.holdsResults(file: "r.enc")) { _ = try Self.aggregate([("r.enc", result)]) }
    #expect(throws: AnalyticsError.missingSquares(column: "x")) {
      _ = try Self.aggregate([("p.enc", try Self.recordFile(Self.a, columns: ["x", "y"], squares: false))])
    }
    #expect(throws: AnalyticsError.otherColumns(file: "b.enc", first: "a.enc")) {
      _ = try Self.aggregate([
        ("a.enc", try Self.recordFile(Self.a, columns: ["x", "y"])), ("b.enc", try Self.recordFile(Self.b, columns: ["x", "z"])),
      ])
    }
    #expect(throws: AnalyticsError.notRecords(file: "t.csv")) { _ = try Self.aggregate([("t.csv", ["x,y", "1,2"])]) }
  }

  @Test("a result file that is not one, or is cut or padded, is refused")
  func resultRefusals() throws {
    let records = try Self.recordFile(Self.a, columns: ["x", "y"])
    #expect(throws: AnalyticsError.notResult(file: "a.enc")) { _ = try Self.decrypt(records, file: "a.enc") }
    let (_, lines) = try Self.aggregate([("a.enc", records)])
    #expect(throws: FormatError.truncated(file: "r.enc", detail: "the sum-of-squares row is missing")) {
      _ = try Self.decrypt(Array(lines.prefix(3)) + [lines[4]])
    }
    #expect(throws: FormatError.malformedLine(file: "r.enc", line: 5, reason: "more rows than the header's 3")) {
      _ = try Self.decrypt(Array(lines.prefix(4)) + [lines[1], lines[4]])
    }
  }
}
