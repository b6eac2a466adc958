import BFV
import EncryptedScoring
import Foundation
import HEKitFormats
import Paillier
import Tabular
import Testing
import _TestSupport

/// Issue 18, library side: batch trailers, the binding of BFV lines to their
/// header, the byte-order mark and record offsets of the CSV parser, and the
/// default error target of linear models.
@Suite("Batch-file integrity, CSV input and error targets")
struct FileIntegrityTests {
  private func records(_ bytes: [UInt8], chunk: Int) throws -> [([String], Int64)] {
    var parser = CSVParser()
    var out: [([String], Int64)] = []
    for start in stride(from: 0, to: bytes.count, by: chunk) {
      try parser.consume(bytes[start..<min(start + chunk, bytes.count)]) { record, _, end in out.append((record, end)) }
    }
    try parser.finish { record, _, end in out.append((record, end)) }
    return out
  }

  @Test("a UTF-8 byte-order mark is dropped from the first column name, however the bytes arrive", arguments: [1, 2, 3, 64])
  func byteOrderMark(chunk: Int) throws {
    let text = Array("\u{FEFF}mean radius,b\n1,2\n".utf8)
    let parsed = try records(text, chunk: chunk)
    #expect(parsed.map(\.0) == [["mean radius", "b"], ["1", "2"]])
    // Each record's end offset counts the mark: progress reaches the file size.
    #expect(parsed.map(\.1) == [17, 21])
    // A mark's prefix that is not a mark is kept (and a mark past the start is data).
    #expect(try records([0xEF, 0xBB, 0x41, 0x0A], chunk: 1).map(\.0) == [["\u{FFFD}A"]])
    #expect(try records(Array("a\n\u{FEFF}b\n".utf8), chunk: 1).map(\.0) == [["a"], ["\u{FEFF}b"]])
    #expect(try Dataset(csv: text).featureNames == ["mean radius", "b"])
  }

  @Test("the Paillier trailer round-trips; a garbled one is refused")
  func paillierTrailer() throws {
    let trailer = Paillier.Batch.Trailer(records: 20, lines: 20)
    #expect(trailer.line == #"{"trailer": "hekit-paillier-batch", "records": 20, "lines": 20}"#)
    #expect(try Paillier.Batch.Trailer(parsing: trailer.line) == trailer)
    #expect(Paillier.Batch.Trailer.isTrailer(trailer.line) && !Paillier.Batch.Trailer.isTrailer(#"[{"v": "1", "e": 0}]"#))
    for bad in [#"{"trailer": "x", "records": 1, "lines": 1}"#, #"{"trailer": "hekit-paillier-batch"}"#, "{"] {
      #expect(throws: PaillierError.self) { try Paillier.Batch.Trailer(parsing: bad) }
    }
    #expect(Paillier.Batch.version == 2 && Paillier.Batch.readableVersions == 1...2)
  }

  @Test("the BFV trailer round-trips and names its format; batch headers are version 2, key headers 1")
  func bfvTrailer() throws {
    let trailer = BFVFileTrailer(format: BFVFileHeader.scoresFormat, records: 442, lines: 1)
    #expect(try BFVFileTrailer(parsing: trailer.line, format: BFVFileHeader.scoresFormat, file: "s.enc") == trailer)
    #expect(throws: FormatError.self) {
      try BFVFileTrailer(parsing: trailer.line, format: BFVFileHeader.recordsFormat, file: "s.enc")
    }
    let spec = BFVParameterSpec(degree: 4096, coefficientModuli: [1], plaintextModuli: [2])
    #expect(BFVFileHeader(format: BFVFileHeader.recordsFormat, key: String(repeating: "0", count: 32), spec: spec).version == 2)
    #expect(BFVFileHeader(format: BFVFileHeader.publicKeyFormat, key: String(repeating: "0", count: 32), spec: spec).version == 1)
  }

  @Test("the binding of a header changes with the key and with every field; lines carry and check it")
  func binding() throws {
    let spec = BFVParameterSpec(degree: 4096, coefficientModuli: [1], plaintextModuli: [2])
    var header = BFVFileHeader(format: BFVFileHeader.recordsFormat, key: String(repeating: "a", count: 32), spec: spec)
    header.exponents = [20]
    header.ranges = [[0, 1]]
    let base = try header.binding()
    #expect(base.count == 16)
    var otherKey = header
    otherKey.key = String(repeating: "b", count: 32)
    var otherRange = header
    otherRange.ranges = [[0, 2]]
    #expect(try otherKey.binding() != base && otherRange.binding() != base)
    let line = try BFVBatchLine(BFVBatchLine.encode(.records, count: 1, binding: base, blobs: [[[1, 2, 3]]]))
    #expect(line.binding == base)
    try line.check(.records, moduli: 1, values: 1, capacity: 8, binding: base)
    #expect(throws: BFVBatchLine.LineError.self) {
      try line.check(.records, moduli: 1, values: 1, capacity: 8, binding: try otherKey.binding())
    }
  }

  @Test("a 1e308 range names its column in the exponent refusal")
  func exponentNamesColumn() throws {
    let spec = BFVParameterSpec(degree: 4096, coefficientModuli: [1], plaintextModuli: [2])
    var header = BFVFileHeader(format: BFVFileHeader.recordsFormat, key: String(repeating: "a", count: 32), spec: spec)
    header.columns = ["age", "huge"]
    header.ranges = [[0, 100], [0, 1e308]]
    header.exponents = FixedPointLinearModel.featureExponents(for: [0...100, 0...1e308], precisionBits: 30)
    #expect(throws: FormatError.self) { try header.checkedRanges(file: "r.enc") }
    do {
      _ = try header.checkedRanges(file: "r.enc")
    } catch {
      #expect(error.localizedDescription.contains("column 'huge'"), "\(error.localizedDescription)")
    }
  }

  @Test("a linear model on the diabetes data meets its default error target at 30 to 40 precision bits; messages say score")
  func linearDefaultTarget() throws {
    let data = try Dataset(contentsOf: bundledData("diabetes.csv"), target: "target")
    let model = try LinearModel.train(.linear, on: data)
    let ranges = try FixedPointLinearModel.ranges(of: data)
    let target = FixedPointLinearModel.defaultTargetError(for: model, featureRanges: ranges)
    #expect(target > 1e-4 && target < 1e-2, "\(target)")
    for bits in [30, 31, 40] {
      let exponents = FixedPointLinearModel.featureExponents(for: ranges, precisionBits: bits)
      let encoding = try FixedPointLinearModel.withError(
        atMost: target, model, featureExponents: exponents, featureRanges: ranges)
      #expect(encoding.errorBound <= target)
    }
    // The old default, 1e-6, fails at every precision; the refusal speaks of scores and says what is reachable.
    let exponents = FixedPointLinearModel.featureExponents(for: ranges, precisionBits: 31)
    do {
      _ = try FixedPointLinearModel.withError(atMost: 1e-6, model, featureExponents: exponents, featureRanges: ranges)
      Issue.record("1e-6 accepted")
    } catch let error as ScoringError {
      let text = error.localizedDescription
      #expect(text.contains("score error") && !text.contains("logit") && text.contains("smallest bound reachable"), "\(text)")
    }
    // A logistic model keeps 1e-6.
    let logistic = try LinearModel(kind: .logistic, features: ["a"], weights: [1], intercept: 0)
    #expect(FixedPointLinearModel.defaultTargetError(for: logistic, featureRanges: [0...1000]) == 1e-6)
  }

  @Test("an overflowing folded intercept or weight is named as the model's, not blamed on the records")
  func overflowNamesModel() throws {
    // The scaler folds into an intercept of about -1e15: it leaves 62 bits long before the target.
    let scaler = LinearModel.Scaler(mean: [1e15], scale: [1])
    let model = try LinearModel(kind: .linear, features: ["a"], weights: [1], intercept: 0, scaler: scaler)
    do {
      _ = try FixedPointLinearModel.withError(atMost: 1e-6, model, featureExponents: [30], featureRanges: [0...1])
      Issue.record("accepted")
    } catch let error as ScoringError {
      let text = error.localizedDescription
      #expect(text.contains("the intercept") && text.contains("with the scaler folded in"), "\(text)")
      #expect(!text.contains("precision bits"), "\(text)")
    }
  }
}
