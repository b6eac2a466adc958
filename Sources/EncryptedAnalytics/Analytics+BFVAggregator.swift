import BFV
import BigNum
import DifferentialPrivacy
import Tabular

extension Analytics {
  /// The aggregator under BFV: adds encrypted tables from any number of
  /// clients slot-wise, then releases the totals (noised first if asked, see
  /// ``DifferentialPrivacy``), with public material only: the key holder's
  /// public keys (for noise flooding) and Galois keys (for the rotations).
  ///
  /// A release masks out the totals not asked for (a plaintext product),
  /// sums each class over the slots (``BFVContext``), adds the noise as a
  /// plaintext and, by default, floods the ciphertext noise so the key
  /// holder learns the totals and nothing about the other ciphertexts.
  public struct BFVAggregator: Sendable {
    /// The public context.
    public let context: BFVContext
    /// The fixed-point scale of weights: `W_r = round(w_r · 2^g)`.
    public let weightFractionBits: Int
    let galoisKeys: [BFV.GaloisKeys]
    let publicKeys: [BFV.PublicKey]
    private var sums: [BFV.Ciphertext]?
    private var weighted: [BFV.Ciphertext]?
    private var weightMagnitudeSum = BigInteger(0)  // Σ |W_r|
    private var largestWeight = BigInteger(0)  // max |W_r|
    private var weightSum = 0.0  // Σ |w_r|
    private var weightRounding = 0.0  // Σ |w_r − W_r/2^g|

    /// The number of records added.
    public private(set) var count = 0

    /// An empty aggregator.
    /// - Parameters:
    ///   - weightFractionBits: g in 0...40, the scale of weights for weighted sums.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for keys of
    ///   other parameters or Galois keys without the context's steps.
    public init(
      context: BFVContext, galoisKeys: [BFV.GaloisKeys], publicKeys: [BFV.PublicKey], weightFractionBits: Int = 16
    ) throws {
      try context.space.check(galoisKeys.map(\.parameters))
      try context.space.check(publicKeys.map(\.parameters))
      guard (0...40).contains(weightFractionBits) else {
        throw AnalyticsError.invalidRequest(reason: "weight fraction bits \(weightFractionBits) outside 0...40")
      }
      self.context = context
      self.galoisKeys = galoisKeys
      self.publicKeys = publicKeys
      self.weightFractionBits = weightFractionBits
    }

    /// Adds a client's table and, with `weights` (one per record), the
    /// weighted column sums `Σ W_r·X_r` (a plaintext product per batch).
    /// - Throws: ``AnalyticsError/tooManyRecords(count:maximum:)`` past the
    ///   context's maximum; ``AnalyticsError/invalidRequest(reason:)`` for
    ///   a table of another shape, weights that do not match or leave the
    ///   62-bit range, or weights for some tables only; `BFVError` for
    ///   ciphertexts of other parameters.
    public mutating func add(_ table: BFVTable, weights: [Double]? = nil) throws {
      let k = context.space.moduliCount
      let batches = (table.count + context.recordsPerCiphertext - 1) / context.recordsPerCiphertext
      guard table.count > 0, table.ciphertexts.count == k, table.ciphertexts.allSatisfy({ $0.count == batches }) else {
        throw AnalyticsError.invalidRequest(
          reason: "a table of \(table.count) records must hold \(batches) ciphertexts for each of \(k) moduli")
      }
      guard count + table.count <= context.maximumRecords else {
        throw AnalyticsError.tooManyRecords(count: count + table.count, maximum: context.maximumRecords)
      }
      guard (weights == nil) == (weighted == nil) || count == 0 else {
        throw AnalyticsError.invalidRequest(reason: "weights must come with every table or with none")
      }
      let context = context
      let rows = table.ciphertexts
      var fixedWeights: [Int64] = []
      if let weights {
        guard weights.count == table.count else {
          throw AnalyticsError.invalidRequest(reason: "\(weights.count) weights for \(table.count) records")
        }
        for w in weights {
          let scaled = Double(sign: .plus, exponent: weightFractionBits, significand: w).rounded()
          guard w.isFinite, scaled.magnitude < 0x1p62 else {
            throw AnalyticsError.invalidRequest(reason: "weight \(w) is not finite or leaves the 62-bit range at 2^\(weightFractionBits)")
          }
          fixedWeights.append(Int64(scaled))
        }
      }
      let valueClasses = context.schema.quantities.enumerated().compactMap { q, quantity -> Int? in
        if case .value = quantity { return 1 + q } else { return nil }
      }
      let fixed = fixedWeights
      let sums = try parallelMap(k) { i -> (BFV.Ciphertext, BFV.Ciphertext?) in
        var sum = rows[i][0]
        for b in rows[i].indices.dropFirst() { try sum.add(rows[i][b]) }
        guard !fixed.isEmpty else { return (sum, nil) }
        var product: BFV.Ciphertext?
        for b in rows[i].indices {
          var slots = [BigInteger](repeating: 0, count: context.space.degree)
          for record in 0..<min(context.recordsPerCiphertext, fixed.count - b * context.recordsPerCiphertext) {
            let w = BigInteger(fixed[b * context.recordsPerCiphertext + record])
            for c in valueClasses { slots[context.slot(record: record, class: c)] = w }
          }
          let term = try rows[i][b] * context.space.encode(slots, modulus: i).preparedForMultiplication()
          if product == nil { product = term } else { try product?.add(term) }
        }
        return (sum, product)
      }
      if let current = self.sums {
        self.sums = try zip(current, sums).map { try $0 + $1.0 }
      } else {
        self.sums = sums.map(\.0)
      }
      if !fixedWeights.isEmpty {
        let products = sums.compactMap(\.1)
        weighted = try weighted.map { try zip($0, products).map { try $0 + $1 } } ?? products
        let g = Double(sign: .plus, exponent: -weightFractionBits, significand: 1)
        for (w, fixed) in zip(weights ?? [], fixedWeights) {
          weightMagnitudeSum += BigInteger(fixed.magnitude)
          largestWeight = max(largestWeight, BigInteger(fixed.magnitude))
          weightSum += w.magnitude
          weightRounding += (w - Double(fixed) * g).magnitude
        }
      }
      count += table.count
    }

    /// The encrypted totals `statistics` need, noised first when `privacy`
    /// is given: one share for the count, each released sum and sum of
    /// squares, each histogram and each weighted sum.
    ///
    /// - Parameters:
    ///   - flooding: flood the ciphertext noise before release (default), so
    ///     that decrypting reveals nothing about the inputs' noise; needs
    ///     N ≥ 8192. Turn it off only when the key holder may learn more than
    ///     the totals (for example, is the only data owner).
    /// - Throws: ``TabularError/emptyInput(what:)`` before any record;
    ///   ``AnalyticsError/invalidRequest(reason:)`` for statistics the
    ///   records cannot give, or flooding at N = 4096 (about 30 bits of noise
    ///   budget remain after the rotations: too few to hide the noise to 2⁻⁴⁰);
    ///   ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)`` when a
    ///   total plus its noise could wrap modulo T;
    ///   ``DifferentialPrivacyError/invalidParameters(reason:)``; `BFVError`.
    /// - Complexity: per modulus, one plaintext product (mask) and
    ///   log2(N/(2Q)) + 1 key switches (twice with weights), over all cores.
    public func release(
      _ statistics: Statistics, privacy: DifferentialPrivacy.Mechanism? = nil, flooding: Bool = true
    ) throws -> BFVRelease {
      guard let sums else { throw TabularError.emptyInput(what: "no records to aggregate") }
      let schema = context.schema
      let released = try schema.released(statistics)
      try context.space.checkFlooding(flooding)
      var classes = released.compactMap { schema.index(of: $0).map { 1 + $0 } }
      if statistics.releasesCount { classes.insert(0, at: 0) }
      // Largest possible totals, per class.
      var bounds: [Int: BigInteger] = statistics.releasesCount ? [0: BigInteger(count)] : [:]
      for quantity in released {
        guard let q = schema.index(of: quantity) else { continue }
        bounds[1 + q] = BigInteger(count) * schema.maximumMagnitude(of: quantity)
      }
      var weightedBounds: [Int: BigInteger] = [:]
      if weighted != nil {
        for (j, _) in schema.columns.enumerated() {
          guard let q = schema.index(of: .value(j)) else { continue }
          weightedBounds[1 + q] = weightMagnitudeSum * schema.maximumMagnitudes[j]
        }
      }
      var noise: [Int: BigInteger] = [:]
      var weightedNoise: [Int: BigInteger] = [:]
      var statement: DifferentialPrivacy.Statement?
      if let privacy {
        let valueClasses = weightedBounds.keys.sorted()  // column order
        let shares = schema.noiseShares(
          count: statistics.releasesCount, quantities: released,
          weightedSums: valueClasses.map { c in
            (largestWeight * schema.maximumMagnitudes[c - 1], -(schema.fractionBits + weightFractionBits))
          })
        let (distributions, stated) = try shares.calibrate(privacy)
        if statistics.releasesCount { noise[0] = distributions[0].sample() }
        for (quantity, share) in zip(released, shares.shareOf) {
          if let q = schema.index(of: quantity) { noise[1 + q] = distributions[share].sample() }
        }
        let firstWeighted = shares.names.count - valueClasses.count
        for (n, c) in valueClasses.enumerated() { weightedNoise[c] = distributions[firstWeighted + n].sample() }
        statement = stated
      }
      // Refuse rather than wrap: |total| + |noise| < T/2 for every class.
      for (c, bound) in bounds.merging(weightedBounds, uniquingKeysWith: max) {
        try context.space.checkFits(bound + max(noise[c]?.magnitude ?? 0, weightedNoise[c]?.magnitude ?? 0))
      }
      let (context, galoisKeys, publicKeys) = (context, galoisKeys, publicKeys)
      let (releasedClasses, totalNoise, weightNoise) = (classes, noise, weightedNoise)
      let parts = [sums] + (weighted.map { [$0] } ?? [])
      let maskNeeded = Set(releasedClasses) != Set(0..<(1 + schema.quantities.count))
      let results = try context.space.perModulus(batches: parts.count) { i, part -> BFV.Ciphertext in
        var total = parts[part][i]
        if part == 0 && maskNeeded {
          let mask = try context.classPlaintext(Dictionary(uniqueKeysWithValues: releasedClasses.map { ($0, BigInteger(1)) }), modulus: i)
          try total.multiply(by: mask.preparedForMultiplication())
        }
        for step in context.space.rotationSteps ?? [] { try total.add(total.rotatedRows(by: step, using: galoisKeys[i])) }
        try total.add(total.swappedColumns(using: galoisKeys[i]))
        let added = part == 0 ? totalNoise : weightNoise
        if !added.isEmpty { try total.add(context.classPlaintext(added, modulus: i)) }
        if flooding { try total.floodNoise(using: publicKeys[i]) }
        return total
      }
      let unit = Double(sign: .plus, exponent: -(schema.fractionBits + 1), significand: 1)
      return BFVRelease(
        context: context, statistics: statistics, quantities: released, ciphertexts: results.map { $0[0] },
        weightedSums: weighted == nil ? nil : results.map { $0[1] }, weightFractionBits: weightFractionBits,
        weightedSumErrorBounds: weighted == nil
          ? nil
          : schema.columns.indices.map { j in
            weightSum * unit + weightRounding * schema.maximumMagnitudes[j].nearestDouble(timesPowerOfTwo: -schema.fractionBits)
          },
        privacy: statement)
    }
  }

  /// Encrypted totals from a ``BFVAggregator``, for ``BFVKeyHolder``:
  /// per modulus, one ciphertext whose every slot of class c holds total c.
  public struct BFVRelease: Sendable {
    /// The public context.
    public let context: BFVContext
    /// The statistics asked for.
    public let statistics: Statistics
    /// The quantities released (besides the count).
    public let quantities: [Schema.Quantity]
    /// Per modulus: the totals.
    public let ciphertexts: [BFV.Ciphertext]
    /// Per modulus: the weighted sums in the value classes (when weights were given).
    public let weightedSums: [BFV.Ciphertext]?
    /// g: weighted sums have the scale 2^(f+g).
    public let weightFractionBits: Int
    /// Per column, the bound on the weighted sum's fixed-point error.
    public let weightedSumErrorBounds: [Double]?
    /// The privacy statement when noise was added.
    public let privacy: DifferentialPrivacy.Statement?
  }
}
