import BigNum
import Foundation
import HEKit

/// The data owner's side of BFV batch scoring, without the model: columns
/// quantised at exponents picked from their declared ranges, encrypted one
/// ciphertext per (plaintext modulus, column) with records in slots.
struct BFVRecordEncryptor: Sendable {
  let keys: BFVKeyFile
  /// The records header as written (public).
  let header: BFVFileHeader
  let names: [String]
  let exponents: [Int]
  let ranges: [ClosedRange<Double>]
  /// The header's binding, carried by every line.
  let binding: [UInt8]

  var recordsPerBatch: Int { keys.parameters[0].slotCount }

  /// - Parameters:
  ///   - keys: a public key set (public-key encryption) or a secret one
  ///     (seeded secret-key encryption: half the size).
  ///   - columns: the column names written to the header (nil for none).
  ///   - ranges: the declared range of every column.
  ///   - precisionBits: bits of each encoded value (see
  ///     ``FixedPointLinearModel/featureExponents(for:precisionBits:)``).
  init(keys: BFVKeyFile, columns: [String]?, ranges declared: [ClosedRange<Double>], precisionBits: Int) throws {
    var header = BFVFileHeader(format: BFVFileHeader.recordsFormat, key: keys.header.key, spec: keys.spec)
    header.encryption = keys.isSecret ? "secret-key" : "public-key"
    header.precisionBits = precisionBits
    header.columns = columns
    header.exponents = FixedPointLinearModel.featureExponents(for: declared, precisionBits: precisionBits)
    header.ranges = declared.map { [$0.lowerBound, $0.upperBound] }
    // Work from the header as a reader will see it, so both sides use the same numbers.
    let written = try BFVFileHeader.parse(try header.line(), file: "the records header")
    self.keys = keys
    self.header = written
    self.names = columns ?? (1...declared.count).map { "column \($0)" }
    self.exponents = written.exponents ?? []
    self.ranges = try written.checkedRanges(file: "the records header")
    self.binding = try written.binding()
  }

  /// The batch line of up to N records (rows of values in column order).
  /// - Throws: as ``encryptLine(_:to:)``.
  func encryptLine(_ rows: [(line: Int, values: [Double])]) throws -> String {
    var text = ""
    try encryptLine(rows) { text += $0 }
    return text
  }

  /// Writes the batch line of up to N records (rows of values in column
  /// order) through `write`, a few ciphertexts at a time, so that memory
  /// stays bounded by the records' values and one group of ciphertexts
  /// whatever the number of columns. The newline is the caller's.
  /// - Throws: ``BFVFileError/outOfRange(line:column:value:range:)`` naming
  ///   the first value outside its declared range (before anything is
  ///   written); BFV errors; errors of `write`.
  /// - Complexity: K·d encryptions over all cores.
  func encryptLine(_ rows: [(line: Int, values: [Double])], to write: (String) throws -> Void) throws {
    precondition(!rows.isEmpty && rows.count <= recordsPerBatch, "a batch holds 1...N records")
    let d = ranges.count
    // Column-major fixed-point values, range-checked.
    var columns = [[Int64]](repeating: [], count: d)
    for j in 0..<d { columns[j].reserveCapacity(rows.count) }
    for row in rows {
      for j in 0..<d {
        let x = row.values[j]
        guard ranges[j].contains(x) else {
          throw BFVFileError.outOfRange(line: row.line, column: names[j], value: x, range: ranges[j])
        }
        columns[j].append(Int64(Double(sign: .plus, exponent: exponents[j], significand: x).rounded()))
      }
    }
    let (keys, frozen) = (keys, columns)
    let k = keys.parameters.count
    var writer = BFVBatchLine.Writer(.records, count: rows.count, binding: binding, moduli: k, values: d)
    try write(writer.start())
    // A group of ciphertexts at a time, over all cores, in modulus-major order.
    let group = 4 * max(1, Parallelism.threadCount)
    for start in stride(from: 0, to: k * d, by: group) {
      let blobs = try BigNum.parallelMap(min(group, k * d - start)) { offset -> [UInt8] in
        let (i, j) = (start + offset).quotientAndRemainder(dividingBy: d)
        let parameters = keys.parameters[i]
        let t = Int64(parameters.plaintextModulus)
        let slots = frozen[j].map { x -> UInt64 in
          let r = x % t
          return UInt64(r < 0 ? r + t : r)
        }
        let plaintext = try BFV.Encoder(parameters: parameters).encode(slots)
        let ciphertext = keys.isSecret ? try keys.secretKeys[i].encrypt(plaintext) : try keys.publicKeys[i].encrypt(plaintext)
        return ciphertext.serialized()
      }
      for blob in blobs { try write(writer.append(blob)) }
    }
    try write(writer.finish())
  }
}

/// The key holder's decryption: K residues per slot, recombined by CRT
/// (Garner) into the centred integer in (−T/2, T/2), T = ∏ t_i.
struct BFVDecryptor: Sendable {
  let keys: BFVKeyFile
  /// The plaintext moduli, whose product is below 2^124 (checked when the keys were read).
  let basis: BFV.PlaintextCRT

  init(keys: BFVKeyFile) throws {
    precondition(keys.isSecret, "decryption needs the secret keys")
    self.keys = keys
    basis = try BFV.PlaintextCRT(parameters: keys.parameters)
  }

  /// The centred integers of values (i, j) of a line, per value j: `count` each.
  /// - Complexity: K·d decryptions over all cores.
  func decrypt(_ line: BFVBatchLine) throws(BFVBatchLine.LineError) -> [[Int128]] {
    let (k, d, keys, basis) = (basis.moduli.count, line.values, keys, basis)
    let residues = try BigNum.parallelMap(k * d) { (index) throws(BFVBatchLine.LineError) -> [UInt64] in
      let (i, j) = index.quotientAndRemainder(dividingBy: d)
      let ciphertext = try line.ciphertext(i, j, parameters: keys.parameters[i])
      do {
        return try BFV.Encoder(parameters: keys.parameters[i]).decode(keys.secretKeys[i].decrypt(ciphertext))
      } catch {
        throw BFVBatchLine.LineError("ciphertext \(j + 1) of modulus \(i + 1): \(error.localizedDescription)")
      }
    }
    return try (0..<d).map { (j) throws(BFVBatchLine.LineError) -> [Int128] in
      try (0..<line.count).map { (r) throws(BFVBatchLine.LineError) -> Int128 in
        // The product of the moduli is below 2^124, so every centred value fits.
        guard let value = basis.centredInt128((0..<k).map { residues[$0 * d + j][r] }) else {
          throw BFVBatchLine.LineError("value \(r + 1) of column \(j + 1) does not fit 128 bits")
        }
        return value
      }
    }
  }
}
