import Foundation
import Tabular
import Testing
import _TestSupport

@Suite("CSV")
struct CSVTests {
  private func records(_ text: String, chunk: Int = 1) throws -> [[String]] {
    var parser = CSVParser()
    var out: [[String]] = []
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {  // feed in small chunks to exercise state across boundaries
      try parser.consume(bytes[i..<min(i + chunk, bytes.count)]) { record, _ in out.append(record) }
      i += chunk
    }
    try parser.finish { record, _ in out.append(record) }
    return out
  }

  @Test("quotes, doubled quotes, CRLF, blank lines, no final newline", arguments: [1, 3, 1000])
  func parsing(chunk: Int) throws {
    let text = "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",,3"
    #expect(try records(text, chunk: chunk) == [["a", "b", "c"], ["1", "x,y", "say \"hi\""], ["multi\nline", "", "3"]])
  }

  @Test("malformed CSV names the line", arguments: [
    ("a,b\n1,\"open", 2, "never closed"), ("a,b\n1,x\"y\n", 2, "inside an unquoted"),
    ("a,b\n\"q\"x,1\n", 2, "after a closing"),
    ("a\n" + String(repeating: "7", count: CSVParser.maximumFieldBytes + 1) + "\n", 2, "longer than 1 MiB"),
    ("a,b\n1,2\n" + String(repeating: ",", count: CSVParser.maximumFields) + "\n", 3, "more than 65536 fields"),
  ])
  func malformed(_ c: (String, Int, String)) {
    #expect {
      try records(c.0, chunk: 4096)
    } throws: { error in
      guard case .malformedCSV(let line, let reason) = error as? TabularError else { return false }
      return line == c.1 && reason.contains(c.2)
    }
  }

  @Test("dataset: features, target, and every bad cell reported with line and column")
  func dataset() throws {
    let good = try Dataset(csv: Array("x, y ,t\n1,2.5e1,0\n-3, +4 ,1\n".utf8), target: "t")
    #expect(good.featureNames == ["x", "y"] && good.features == [[1, 25], [-3, 4]] && good.targets == [0, 1])
    let cases: [(String, TabularError)] = [
      ("", .emptyInput(what: "no CSV header line")),
      ("x,t\n", .emptyInput(what: "a header but no data rows")),
      ("x,t\n1,0\n2\n", .malformedCSV(line: 3, reason: "1 cells where the header has 2")),
      ("x,t\n1,0\n,1\n", .missingValue(line: 3, column: "x")),
      ("x,t\nabc,0\n", .notANumber(line: 2, column: "x", text: "abc")),
      ("x,t\n0x10,0\n", .notANumber(line: 2, column: "x", text: "0x10")),
      ("x,t\nnan,0\n", .nonFiniteValue(line: 2, column: "x")),
      ("x,t\n1,-inf\n", .nonFiniteValue(line: 2, column: "t")),
      ("x,t\n1e999,0\n", .nonFiniteValue(line: 2, column: "x")),
      ("x,x,t\n1,2,0\n", .duplicateColumn("x")),
      ("x,u\n1,0\n", .unknownColumn("t", available: ["x", "u"])),
    ]
    for (text, expected) in cases {
      #expect(throws: expected, "\(text.debugDescription)") { try Dataset(csv: Array(text.utf8), target: "t") }
    }
    for (_, error) in cases { #expect((error.errorDescription ?? "").count > 15) }
  }

  @Test("a dataset read in chunks (any boundaries) equals one read whole", arguments: [1, 2, 7, 4096])
  func datasetInChunks(size: Int) throws {
    let text = Array("x, y ,t\r\n1,2.5e1,0\n\"-3\", +4 ,1\n5,6,0".utf8)
    let whole = try Dataset(csv: text, target: "t")
    var offset = 0
    let chunked = try Dataset(chunks: {
      defer { offset = min(offset + size, text.count) }
      return Array(text[offset..<min(offset + size, text.count)])
    }, target: "t")
    #expect(chunked.featureNames == whole.featureNames && chunked.features == whole.features && chunked.targets == whole.targets)
    #expect(chunked.count == 3)
  }

  @Test("the bundled data sets load with their documented shapes")
  func bundled() throws {
    let cancer = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
    #expect(cancer.count == 569 && cancer.featureNames.count == 30)
    #expect(Set(cancer.targets) == [0, 1])
    let diabetes = try Dataset(contentsOf: bundledData("diabetes.csv"), target: "target")
    #expect(diabetes.count == 442 && diabetes.featureNames.count == 10)
    let (train, test) = cancer.split(testEvery: 5)
    #expect(test.count == 114 && train.count == 455 && test.features[1] == cancer.features[5])
  }
}
