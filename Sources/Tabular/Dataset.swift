import Foundation

/// Maps CSV records to numbers: which header columns are wanted, in which
/// order, and how each cell is checked.
public struct ColumnSelection: Sendable, Equatable {
  /// The CSV header, as read.
  public let header: [String]
  /// The selected column names, in output order.
  public let names: [String]
  private let indices: [Int]

  /// Selects `columns` (all columns when `nil`) from `header`.
  /// - Throws: ``TabularError/duplicateColumn(_:)``,
  ///   ``TabularError/unknownColumn(_:available:)``.
  public init(header: [String], columns: [String]?) throws {
    // By dictionary, so that a CSV of thousands of columns is not selected in quadratic time.
    var position: [String: Int] = [:]
    for (index, name) in header.enumerated() where position.updateValue(index, forKey: name) != nil {
      throw TabularError.duplicateColumn(name)
    }
    let wanted = columns ?? header
    indices = try wanted.map { name in
      guard let index = position[name] else {
        throw TabularError.unknownColumn(name, available: header)
      }
      return index
    }
    self.header = header
    self.names = wanted
  }

  /// The selected cells of `record` as finite numbers.
  /// - Throws: ``TabularError/malformedCSV(line:reason:)`` for a record with
  ///   a different cell count; ``TabularError/missingValue(line:column:)``,
  ///   ``TabularError/notANumber(line:column:text:)``,
  ///   ``TabularError/nonFiniteValue(line:column:)``.
  public func values(of record: [String], line: Int) throws -> [Double] {
    try zip(cells(of: record, line: line), names).map { cell, name in
      try Self.number(cell, line: line, column: name)
    }
  }

  /// The selected cells of `record` as text, in selection order.
  /// - Throws: ``TabularError/malformedCSV(line:reason:)`` for a record with
  ///   a different cell count than the header.
  public func cells(of record: [String], line: Int) throws -> [String] {
    guard record.count == header.count else {
      throw TabularError.malformedCSV(
        line: line, reason: "\(record.count) cells where the header has \(header.count)")
    }
    return indices.map { record[$0] }
  }

  /// Parses one cell (`line` and `column` name it in errors): a decimal number with optional sign, fraction and
  /// exponent, surrounding spaces allowed; NaN, infinities and hex are refused.
  public static func number(_ cell: String, line: Int, column: String) throws -> Double {
    // The common case without Foundation: ASCII number bytes, spaces or tabs around.
    var bytes = cell.utf8[...]
    while let byte = bytes.first, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { bytes.removeFirst() }
    while let byte = bytes.last, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { bytes.removeLast() }
    if !bytes.isEmpty, bytes.allSatisfy(isNumberByte), let value = Double(Substring(bytes)), value.isFinite {
      return value
    }
    // Everything else, with the error that names the fault (and Unicode spaces trimmed).
    let text = cell.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty else { throw TabularError.missingValue(line: line, column: column) }
    let allowed = text.utf8.allSatisfy(isNumberByte)
    let lower = text.lowercased()
    if lower.contains("nan") || lower.contains("inf") {
      throw TabularError.nonFiniteValue(line: line, column: column)
    }
    guard allowed, let value = Double(text) else {
      throw TabularError.notANumber(line: line, column: column, text: String(text.prefix(40)))
    }
    guard value.isFinite else { throw TabularError.nonFiniteValue(line: line, column: column) }
    return value
  }

  /// A byte a decimal number may hold: a digit, point, sign or exponent mark.
  private static func isNumberByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
  }
}

/// The rows of a CSV file as `hekit encrypt` selects them: with a header
/// line, the named columns (all, or all but the excluded ones); without one,
/// every cell of rows that all have the first row's width.
public struct RowSelection: Sendable {
  private let hasHeader: Bool
  private let columns: [String]?
  private let excluded: [String]?
  private var selection: ColumnSelection?
  private var width: Int?

  /// - Parameters:
  ///   - hasHeader: whether the first record is a header line.
  ///   - columns: the columns to select by name (needs a header); nil for all.
  ///   - excluded: columns to leave out by name (needs a header).
  public init(hasHeader: Bool, columns: [String]? = nil, excluding excluded: [String]? = nil) {
    self.hasHeader = hasHeader || columns != nil || excluded != nil
    self.columns = columns
    self.excluded = excluded
  }

  /// Whether the header line is still to come.
  public var awaitsHeader: Bool { hasHeader && selection == nil }

  /// The selected columns' names once the header is read; nil without a header.
  public var names: [String]? { selection?.names }

  /// The selected cells of a record, or nil when it is the header line (read here).
  /// - Throws: ``TabularError/unknownColumn(_:available:)`` for an excluded
  ///   column the header lacks, ``TabularError/emptyInput(what:)`` when no
  ///   column is left, as ``ColumnSelection/init(header:columns:)``; for a row
  ///   of another width, ``TabularError/malformedCSV(line:reason:)``.
  public mutating func cells(of record: [String], line: Int) throws -> [String]? {
    if awaitsHeader {
      let header = record.map { $0.trimmingCharacters(in: .whitespaces) }
      var wanted = columns
      if let excluded {
        for name in excluded where !header.contains(name) {
          throw TabularError.unknownColumn(name, available: header)
        }
        wanted = header.filter { !excluded.contains($0) }
      }
      let chosen = try ColumnSelection(header: header, columns: wanted)
      guard !chosen.names.isEmpty else { throw TabularError.emptyInput(what: "no columns selected") }
      selection = chosen
      return nil
    }
    if let selection { return try selection.cells(of: record, line: line) }
    guard width == nil || width == record.count else {
      throw TabularError.malformedCSV(line: line, reason: "\(record.count) cells where the first row has \(width ?? 0)")
    }
    width = record.count
    return record
  }

  /// The selected cells of a record as finite numbers, or nil for the header line.
  /// - Throws: as ``cells(of:line:)`` and ``ColumnSelection/number(_:line:column:)``.
  public mutating func values(of record: [String], line: Int) throws -> [Double]? {
    guard let cells = try cells(of: record, line: line) else { return nil }
    let names = self.names
    return try cells.enumerated().map { j, cell in
      try ColumnSelection.number(cell, line: line, column: names?[j] ?? "column \(j + 1)")
    }
  }
}

/// A numeric table read from CSV: feature columns and an optional target.
public struct Dataset: Sendable, Equatable {
  /// The feature column names, in the order of each row's values.
  public var featureNames: [String]
  /// One array of feature values per record.
  public var features: [[Double]]
  /// The target column's name, if one was read.
  public var targetName: String?
  /// The target value per record (empty when no target was read).
  public var targets: [Double]

  public init(featureNames: [String], features: [[Double]], targetName: String? = nil, targets: [Double] = []) {
    self.featureNames = featureNames
    self.features = features
    self.targetName = targetName
    self.targets = targets
  }

  /// The number of records.
  public var count: Int { features.count }

  /// Reads CSV text with a header line.
  ///
  /// - Parameters:
  ///   - features: the feature columns; `nil` means every column but the target.
  ///   - target: the target column, if any.
  /// - Throws: ``TabularError`` naming the line and column of the first bad cell.
  public init(csv bytes: some Sequence<UInt8>, features: [String]? = nil, target: String? = nil) throws {
    var reader = DatasetReader(features: features, target: target)
    var parser = CSVParser()
    try parser.consume(bytes) { record, line in try reader.add(record, line: line) }
    try parser.finish { record, line in try reader.add(record, line: line) }
    self = try reader.dataset()
  }

  /// Reads a CSV file with a header line, in 64 KiB chunks.
  /// - Throws: ``TabularError``, or the file system's error if it cannot be read.
  public init(contentsOf url: URL, features: [String]? = nil, target: String? = nil) throws {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    try self.init(chunks: { [UInt8](try handle.read(upToCount: 1 << 16) ?? Data()) }, features: features, target: target)
  }

  /// Reads a CSV with a header line from `nextChunk`, called until it
  /// returns no bytes (for a caller that opens and reads the file itself).
  /// - Throws: ``TabularError``, or what `nextChunk` throws.
  public init(chunks nextChunk: () throws -> [UInt8], features: [String]? = nil, target: String? = nil) throws {
    var reader = DatasetReader(features: features, target: target)
    var parser = CSVParser()
    while case let chunk = try nextChunk(), !chunk.isEmpty {
      try parser.consume(chunk) { record, line in try reader.add(record, line: line) }
    }
    try parser.finish { record, line in try reader.add(record, line: line) }
    self = try reader.dataset()
  }

  /// Splits deterministically: every `k`-th record (k = `testEvery`, starting at
  /// the first) goes to the test set, the rest to training. Stable across runs
  /// and machines, and the same split `Tests/Vectors/EncryptedML` uses for its
  /// scikit-learn comparison.
  public func split(testEvery k: Int) -> (train: Dataset, test: Dataset) {
    var train = Dataset(featureNames: featureNames, features: [], targetName: targetName)
    var test = train
    for i in 0..<count {
      if k > 0 && i % k == 0 {
        test.features.append(features[i])
        if !targets.isEmpty { test.targets.append(targets[i]) }
      } else {
        train.features.append(features[i])
        if !targets.isEmpty { train.targets.append(targets[i]) }
      }
    }
    return (train, test)
  }
}

/// Collects records into a ``Dataset``; the header is the first record.
struct DatasetReader {
  let requestedFeatures: [String]?
  let target: String?
  var featureColumns: ColumnSelection?
  var targetColumn: ColumnSelection?
  var features: [[Double]] = []
  var targets: [Double] = []

  init(features: [String]?, target: String?) {
    requestedFeatures = features
    self.target = target
  }

  mutating func add(_ record: [String], line: Int) throws {
    guard let featureColumns else {
      let header = record.map { $0.trimmingCharacters(in: .whitespaces) }
      let names = requestedFeatures ?? header.filter { $0 != target }
      featureColumns = try ColumnSelection(header: header, columns: names)
      if let target { targetColumn = try ColumnSelection(header: header, columns: [target]) }
      return
    }
    features.append(try featureColumns.values(of: record, line: line))
    if let targetColumn { targets.append(try targetColumn.values(of: record, line: line)[0]) }
  }

  func dataset() throws -> Dataset {
    guard let featureColumns else { throw TabularError.emptyInput(what: "no CSV header line") }
    guard !features.isEmpty else { throw TabularError.emptyInput(what: "a header but no data rows") }
    return Dataset(featureNames: featureColumns.names, features: features, targetName: target, targets: targets)
  }
}
