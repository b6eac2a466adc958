import BigNum
import DifferentialPrivacy

extension Analytics {
  /// A total as decrypted: `mantissa · 2^exponent`, exactly.
  struct ExactValue: Sendable {
    var mantissa: BigInteger
    var exponent: Int
    var doubleValue: Double { mantissa.nearestDouble(timesPowerOfTwo: exponent) }
  }

  /// Exact decrypted totals, before they become ``Result`` values.
  struct Totals: Sendable {
    var count: BigInteger?
    var sums: [Int: ExactValue] = [:]
    var squares: [Int: ExactValue] = [:]
    var bins: [Int: [BigInteger]] = [:]
    var weightedSums: [Int: ExactValue] = [:]

    /// Records the decrypted total of a quantity.
    mutating func set(_ quantity: Schema.Quantity, _ value: ExactValue) {
      switch quantity {
      case .value(let j): sums[j] = value
      case .square(let j): squares[j] = value
      case .bin(let j, _): bins[j, default: []].append(value.mantissa)
      }
    }
  }

  /// Decrypted statistics as `Double`s, each computed exactly from the
  /// integer totals and rounded once.
  ///
  /// **Fixed-point error.** Each value was encrypted as `X/2^f` with
  /// `|x − X/2^f| ≤ 2^−(f+1)`. Against the unquantised data, and before any
  /// privacy noise, a column's sum is off by at most `n·2^−(f+1)`, its mean
  /// by `2^−(f+1)` and its population variance by
  /// `(b − a)·2^−(f+1) + 2^−(2f+2)` for a declared range `a...b` (the sample
  /// variance by `n/(n−1)` times that); the final rounding to `Double` adds
  /// at most half an ulp. ``Column`` carries these bounds.
  ///
  /// **Noise.** With differential privacy, every total is noised (the count
  /// too): the mean is a noisy sum over a noisy count, the variance is
  /// clamped at 0, and means or variances that need a count above 0 or 1 are
  /// `nil` when the noisy count is not. ``privacy`` states the guarantee and
  /// each total's noise.
  public struct Result: Sendable, Equatable {
    /// One column's statistics (`nil` where not released).
    public struct Column: Sendable, Equatable {
      /// The column name.
      public let name: String
      /// Σ x.
      public let sum: Double?
      /// Σ x / n.
      public let mean: Double?
      /// The population variance Σ (x − mean)² / n.
      public let variance: Double?
      /// The sample variance Σ (x − mean)² / (n − 1).
      public let sampleVariance: Double?
      /// Counts per histogram bin.
      public let histogram: [Int]?
      /// Σ w_r·x_r for the aggregator's record weights.
      public let weightedSum: Double?
      /// The bound on the sum's fixed-point error (see ``Result``).
      public let sumErrorBound: Double?
      /// The bound on the mean's fixed-point error.
      public let meanErrorBound: Double?
      /// The bound on the population variance's fixed-point error.
      public let varianceErrorBound: Double?
      /// The bound on the weighted sum's fixed-point error.
      public let weightedSumErrorBound: Double?

      /// The sample standard deviation.
      public var standardDeviation: Double? { sampleVariance?.squareRoot() }
    }

    /// The number of records (noised with differential privacy).
    public let count: Int?
    /// The columns, in schema order.
    public let columns: [Column]
    /// The differential-privacy statement, when noise was added.
    public let privacy: DifferentialPrivacy.Statement?

    /// The column named `name`.
    public subscript(name: String) -> Column? { columns.first { $0.name == name } }

    /// The mean, population variance and sample variance of exact totals:
    /// `n`, `S = sum · 2^sumExponent` and `Q = squares · 2^squaresExponent`,
    /// each computed exactly as a fraction and rounded once. The variance
    /// `(n·Q − S²)/n²` is clamped at 0 (it can fall below with noise); a mean
    /// needs `n > 0` and a sample variance `n > 1`, else `nil`.
    public static func moments(
      count n: BigInteger, sum: BigInteger, sumExponent: Int, squares: BigInteger?, squaresExponent: Int
    ) -> (mean: Double?, variance: Double?, sampleVariance: Double?) {
      guard n.signum() > 0 else { return (nil, nil, nil) }
      let mean = fraction(sum, exponent: sumExponent, over: n)
      guard let squares else { return (mean, nil, nil) }
      let e = min(squaresExponent, 2 * sumExponent)
      var numerator = n * (squares << (squaresExponent - e)) - (sum.squared() << (2 * sumExponent - e))
      if numerator.signum() < 0 { numerator = 0 }
      let variance = fraction(numerator, exponent: e, over: n.squared())
      let sample = n > 1 ? fraction(numerator, exponent: e, over: n * (n - 1)) : nil
      return (mean, variance, sample)
    }

    /// `m · 2^e / d` rounded once.
    static func fraction(_ m: BigInteger, exponent e: Int, over d: BigInteger) -> Double {
      e >= 0 ? ((try? (m << e).nearestDouble(dividedBy: d)) ?? 0) : ((try? m.nearestDouble(dividedBy: d << -e)) ?? 0)
    }

    /// The result of exact totals under `schema`.
    init(
      totals: Totals, schema: Schema, statistics: Statistics, privacy: DifferentialPrivacy.Statement?,
      weightedSumErrorBounds: [Double]?
    ) {
      let n = totals.count
      let f = schema.fractionBits
      let half = Double(sign: .plus, exponent: -(f + 1), significand: 1)
      count = n.flatMap { $0.intValue }
      self.privacy = privacy
      columns = schema.columns.enumerated().map { j, column in
        let sum = totals.sums[j]
        var moments: (mean: Double?, variance: Double?, sampleVariance: Double?) = (nil, nil, nil)
        if let n, let sum {
          let squares = totals.squares[j]
          moments = Self.moments(
            count: n, sum: sum.mantissa, sumExponent: sum.exponent, squares: squares?.mantissa,
            squaresExponent: squares?.exponent ?? 0)
        }
        let width = column.range.upperBound - column.range.lowerBound
        let varianceBound = width * half + half * half
        let nDouble = n.map { $0.nearestDouble() }
        return Column(
          name: column.name,
          sum: statistics.contains(.sum) ? sum?.doubleValue : nil,
          mean: statistics.contains(.mean) ? moments.mean : nil,
          variance: statistics.contains(.variance) ? moments.variance : nil,
          sampleVariance: statistics.contains(.variance) ? moments.sampleVariance : nil,
          histogram: totals.bins[j].map { $0.map { $0.intValue ?? ($0.signum() < 0 ? Int.min : Int.max) } },
          weightedSum: totals.weightedSums[j]?.doubleValue,
          sumErrorBound: statistics.contains(.sum) ? nDouble.map { $0 * half } : nil,
          meanErrorBound: statistics.contains(.mean) ? half : nil,
          varianceErrorBound: statistics.contains(.variance) ? varianceBound : nil,
          weightedSumErrorBound: totals.weightedSums[j] == nil ? nil : weightedSumErrorBounds?[j])
      }
    }
  }
}
