import BigNum
import Foundation
import HEKit

/// The data owner's side of BFV batch scoring, without the model: columns
/// quantised at exponents picked from their declared ranges, encrypted one
/// ciphertext per (plaintext modulus, column) with records in slots.
struct BFVRecordEncryptor: Sendable {
  let keys: BFVKeyFile
  /// The records header as written (public).
  let header: BFVHeader
  let names: [String]
  let exponents: [Int]
  let ranges: [ClosedRange<Double>]

  var recordsPerBatch: Int { keys.parameters[0].slotCount }

  /// - Parameters:
  ///   - keys: a public key set (public-key encryption) or a secret one
  ///     (seeded secret-key encryption: half the size).
  ///   - columns: the column names written to the header (nil for none).
  ///   - ranges: the declared range of every column.
  ///   - precisionBits: bits of each encoded value (see
  ///     ``FixedPointLinearModel/featureExponents(for:precisionBits:)``).
  init(keys: BFVKeyFile, columns: [String]?, ranges declared: [ClosedRange<Double>], precisionBits: Int) throws {
    var header = BFVHeader(format: BFVHeader.recordsFormat, key: keys.header.key, spec: keys.spec)
    header.encryption = keys.isSecret ? "secret-key" : "public-key"
    header.precisionBits = precisionBits
    header.columns = columns
    header.exponents = FixedPointLinearModel.featureExponents(for: declared, precisionBits: precisionBits)
    header.ranges = declared.map { [$0.lowerBound, $0.upperBound] }
    // Work from the header as a reader will see it, so both sides use the same numbers.
    let written = try BFVHeader.parse(try header.line(), file: "the records header")
    self.keys = keys
    self.header = written
    self.names = columns ?? (1...declared.count).map { "column \($0)" }
    self.exponents = written.exponents ?? []
    self.ranges = try written.checkedRanges(file: "the records header")
  }

  /// The batch line of up to N records (rows of values in column order).
  /// - Throws: ``BFVFileError/outOfRange(line:column:value:range:)`` naming
  ///   the first value outside its declared range; BFV errors.
  /// - Complexity: K·d encryptions over all cores.
  func encryptLine(_ rows: [(line: Int, values: [Double])]) throws -> String {
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
    let blobs = try BigNum.parallelMap(keys.parameters.count * d) { k -> [UInt8] in
      let (i, j) = k.quotientAndRemainder(dividingBy: d)
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
    let grouped = (0..<keys.parameters.count).map { i in Array(blobs[(i * d)..<((i + 1) * d)]) }
    return BFVBatchLine.encode(.records, count: rows.count, blobs: grouped)
  }
}

/// The key holder's decryption: K residues per slot, recombined by CRT
/// (Garner) into the centred integer in (−T/2, T/2), T = ∏ t_i.
struct BFVDecryptor: Sendable {
  let keys: BFVKeyFile
  let moduli: [UInt64]
  let product: UInt128
  /// (t_0·…·t_{i−1})⁻¹ mod t_i.
  let garnerInverses: [UInt64]

  init(keys: BFVKeyFile) {
    precondition(keys.isSecret, "decryption needs the secret keys")
    self.keys = keys
    let moduli = keys.parameters.map(\.plaintextModulus)
    self.moduli = moduli
    var product: UInt128 = 1
    for t in moduli { product *= UInt128(t) }  // ≤ 2^124: checked when the keys were read
    self.product = product
    garnerInverses = moduli.indices.map { i in
      let t = moduli[i]
      var prefix: UInt64 = 1
      for k in 0..<i { prefix = Self.mulmod(prefix, moduli[k] % t, t) }
      return Self.powmod(prefix, t - 2, t)  // t is prime
    }
  }

  /// The centred integers of values (i, j) of a line, per value j: `count` each.
  /// - Complexity: K·d decryptions over all cores.
  func decrypt(_ line: BFVBatchLine) throws(BFVBatchLine.LineError) -> [[Int128]] {
    let (k, d, keys) = (moduli.count, line.values, keys)
    let residues = try BigNum.parallelMap(k * d) { (index) throws(BFVBatchLine.LineError) -> [UInt64] in
      let (i, j) = index.quotientAndRemainder(dividingBy: d)
      let ciphertext = try line.ciphertext(i, j, parameters: keys.parameters[i])
      do {
        return try BFV.Encoder(parameters: keys.parameters[i]).decode(keys.secretKeys[i].decrypt(ciphertext))
      } catch {
        throw BFVBatchLine.LineError("ciphertext \(j + 1) of modulus \(i + 1): \(error.localizedDescription)")
      }
    }
    return (0..<d).map { j in
      (0..<line.count).map { r in combine((0..<k).map { residues[$0 * d + j][r] }) }
    }
  }

  /// Garner's mixed radix: value = a_0 + a_1·t_0 + a_2·t_0·t_1 + …, centred.
  func combine(_ residues: [UInt64]) -> Int128 {
    var value: UInt128 = 0
    var radix: UInt128 = 1
    for i in moduli.indices {
      let t = moduli[i]
      let current = UInt64(value % UInt128(t))
      let difference = (residues[i] % t + t - current) % t
      value += UInt128(Self.mulmod(difference, garnerInverses[i], t)) * radix
      radix *= UInt128(t)
    }
    return value > product / 2 ? -Int128(product - value) : Int128(value)
  }

  static func mulmod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
    let (high, low) = a.multipliedFullWidth(by: b)
    return m.dividingFullWidth((high % m, low)).remainder
  }

  static func powmod(_ base: UInt64, _ exponent: UInt64, _ m: UInt64) -> UInt64 {
    var result: UInt64 = 1 % m
    var b = base % m
    var e = exponent
    while e > 0 {
      if e & 1 == 1 { result = mulmod(result, b, m) }
      b = mulmod(b, b, m)
      e >>= 1
    }
    return result
  }
}
