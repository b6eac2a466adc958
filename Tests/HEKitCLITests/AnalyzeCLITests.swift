import Foundation
import Testing

/// `hekit analyze` on diabetes rows encrypted by two parties under one key:
/// the decrypted statistics against the plaintext, noise with differential
/// privacy, and refusals of bad input.
@Suite("hekit analyze")
struct AnalyzeCLITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// A fresh directory with a 2048-bit key (k.pub.json, k.key.json), the
  /// first 40 diabetes rows' age, bmi and bp as two parties' CSV files
  /// (a.csv: 25 rows, b.csv: 15), and the files each test asks for.
  struct Fixture {
    let dir: URL
    let rows: [[Double]]
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: dir) }

    /// - Parameter commands: extra hekit commands, with "DIR/" standing for the directory.
    init(_ commands: [[String]]) throws {
      dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-analyze-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let text = try String(contentsOf: AnalyzeCLITests.root.appendingPathComponent("Data/diabetes.csv"), encoding: .utf8)
      let lines = text.split(whereSeparator: \.isNewline).map(String.init)
      let header = lines[0].split(separator: ",").map(String.init)
      let wanted = ["age", "bmi", "bp"].compactMap { header.firstIndex(of: $0) }
      let cells = lines[1...40].map { line in
        let all = line.split(separator: ",").map(String.init)
        return wanted.map { all[$0] }
      }
      rows = cells.map { $0.compactMap(Double.init) }
      func csv(_ part: ArraySlice<[String]>) -> String { (["age,bmi,bp"] + part.map { $0.joined(separator: ",") }).joined(separator: "\n") }
      try csv(cells[0..<25]).write(toFile: dir.appendingPathComponent("a.csv").path, atomically: true, encoding: .utf8)
      try csv(cells[25...]).write(toFile: dir.appendingPathComponent("b.csv").path, atomically: true, encoding: .utf8)
      let prefix = dir.path + "/"
      for arguments in [["keygen", "--bits", "2048", "--output", "DIR/k"]] + commands {
        let result = try CLI.run(arguments.map { $0.replacingOccurrences(of: "DIR/", with: prefix) })
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
      }
    }
  }

  /// `hekit encrypt` of a party's CSV, with or without squares.
  static func encrypt(_ party: String, squares: Bool, to output: String) -> [String] {
    ["encrypt", "--key", "DIR/k.pub.json", "--input", "DIR/\(party).csv", "--header", "--output", "DIR/\(output)"]
      + (squares ? ["--with-squares"] : [])
  }

  /// The decrypted CSV as statistic → values.
  static func table(_ csv: String) -> [String: [Double]] {
    var table: [String: [Double]] = [:]
    for line in csv.split(separator: "\n").dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      table[cells[0]] = cells.dropFirst().map { Double($0) ?? .nan }
    }
    return table
  }

  @Test("two parties' files: count, sum, mean, variance and std match the plaintext")
  func statistics() throws {
    let fixture = try Fixture([
      Self.encrypt("a", squares: true, to: "a.enc"), Self.encrypt("b", squares: true, to: "b.enc"),
      Self.encrypt("a", squares: false, to: "plain.enc"),
    ])
    defer { fixture.remove() }
    let rows = fixture.rows
    let result = try CLI.run([
      "analyze", "--key", fixture.path("k.pub.json"), "--input", fixture.path("a.enc"), "--input", fixture.path("b.enc"),
      "--stat", "all", "--output", fixture.path("all.enc"),
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let decrypted = try CLI.run(["analyze", "--decrypt", "--key", fixture.path("k.key.json"), "--input", fixture.path("all.enc")])
    #expect(decrypted.status == 0, "\(decrypted.stderr)")
    #expect(decrypted.stdout.hasPrefix("statistic,age,bmi,bp\n"))
    let table = Self.table(decrypted.stdout)
    for j in 0..<3 {
      let values = rows.map { $0[j] }
      let n = Double(values.count)
      let sum = values.reduce(0, +)
      let mean = sum / n
      let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
      #expect(table["count"]?[j] == 40)
      // Exact totals rounded once: agreement to the inputs' own rounding.
      #expect(abs((table["sum"]?[j] ?? .nan) - sum) <= 1e-12 * sum)
      #expect(abs((table["mean"]?[j] ?? .nan) - mean) <= 1e-12 * mean)
      #expect(abs((table["variance"]?[j] ?? .nan) - variance) <= 1e-9 * variance)
      #expect(abs((table["std"]?[j] ?? .nan) - variance.squareRoot()) <= 1e-9 * variance.squareRoot())
    }
    // The result is an ordinary batch file: hekit decrypt prints the raw totals.
    let raw = try CLI.run(["decrypt", "--key", fixture.path("k.key.json"), fixture.path("all.enc")])
    let lines = raw.stdout.split(separator: "\n")
    #expect(raw.status == 0 && lines.count == 4 && lines[0] == "age,bmi,bp" && lines[1] == "40,40,40")
    // Only the mean of one column, from one party: no variance row, no squares needed.
    let mean = try CLI.run([
      "analyze", "--key", fixture.path("k.pub.json"), "--input", fixture.path("plain.enc"), "--stat", "mean", "--columns", "bmi",
      "--output", fixture.path("mean.enc"),
    ])
    #expect(mean.status == 0, "\(mean.stderr)")
    let meanTable = Self.table(try CLI.run(["analyze", "--decrypt", "--key", fixture.path("k.key.json"), "--input", fixture.path("mean.enc")]).stdout)
    let bmi = rows.prefix(25).map { $0[1] }
    #expect(meanTable.keys.sorted() == ["mean"] && abs((meanTable["mean"]?[0] ?? .nan) - bmi.reduce(0, +) / 25) < 1e-12)
  }

  @Test("differential privacy: the key holder decrypts noised totals, with the statement")
  func privacy() throws {
    let fixture = try Fixture([Self.encrypt("a", squares: false, to: "a.enc"), Self.encrypt("b", squares: false, to: "b.enc")])
    defer { fixture.remove() }
    let rows = fixture.rows
    for (name, extra) in [("laplace.enc", [String]()), ("gaussian.enc", ["--dp-delta", "1e-6"])] {
      let result = try CLI.run([
        "analyze", "--key", fixture.path("k.pub.json"), "--input", fixture.path("a.enc"), "--input", fixture.path("b.enc"),
        "--stat", "count,sum,mean", "--dp-epsilon", "2", "--sensitivity", "200", "--output", fixture.path(name),
      ] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stderr.contains("differentially private"))
      let decrypted = try CLI.run(["analyze", "--decrypt", "--key", fixture.path("k.key.json"), "--input", fixture.path(name)])
      #expect(decrypted.status == 0 && decrypted.stderr.contains("noised for differential privacy"))
      let table = Self.table(decrypted.stdout)
      for j in 0..<3 {
        let sum = rows.reduce(0) { $0 + $1[j] }
        let noisy = try #require(table["sum"]?[j])
        // Noise of standard deviation about 200·4/2·√2 ≈ 566 (Laplace): never exactly 0 in practice.
        #expect(noisy != sum && abs(noisy - sum) < 40 * 600)
      }
    }
  }

  @Test("bad input is refused with a message and a non-zero status")
  func errors() throws {
    func refused(_ arguments: [String], status: Int32 = 1, _ message: String) throws {
      let result = try CLI.run(arguments)
      #expect(result.status == status, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
    let fixture = try Fixture([
      Self.encrypt("a", squares: true, to: "a.enc"), Self.encrypt("a", squares: false, to: "plain.enc"),
      ["keygen", "--bits", "2048", "--output", "DIR/other"],
    ])
    defer { fixture.remove() }
    let pub = fixture.path("k.pub.json")
    let a = fixture.path("a.enc")
    try refused(["analyze", "--key", pub, "--input", fixture.path("plain.enc"), "--stat", "variance"], "--with-squares")
    try refused(["analyze", "--key", pub, "--input", a, "--dp-epsilon", "1"], status: 64, "--sensitivity")
    try refused(["analyze", "--key", pub, "--input", a, "--dp-epsilon", "-1", "--sensitivity", "1"], status: 64, "write --dp-epsilon=-1")
    try refused(["analyze", "--key", pub, "--input", a, "--stat", "median"], status: 64, "unknown statistic 'median'")
    try refused(["analyze", "--key", pub, "--input", a, "--stat", "histogram"], status: 64, "Swift API")
    try refused(["analyze", "--key", pub, "--input", a, "--columns", "age,weight"], "no column 'weight'")
    try refused(["analyze", "--key", fixture.path("k.key.json"), "--input", a], "private key")
    try refused(["analyze", "--key", fixture.path("other.pub.json"), "--input", a], "was encrypted under a different public key than the one in")
    try refused(["analyze", "--key", pub, "--input", a, "--input", fixture.path("plain.enc")], "other columns")
    try refused(["analyze", "--decrypt", "--key", fixture.path("k.key.json"), "--input", a], "not a result file")
    try refused(["encrypt", "--key", pub, "--input", fixture.path("a.csv"), "--with-squares"], status: 64, "--with-squares needs a header")
    // A damaged record names its file and line.
    var lines = try String(contentsOfFile: a, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[3] = String(lines[3].dropLast(5))
    try lines.joined(separator: "\n").write(toFile: fixture.path("bad.enc"), atomically: true, encoding: .utf8)
    try refused(["analyze", "--key", pub, "--input", fixture.path("bad.enc")], "bad.enc, line 4")
  }
}
