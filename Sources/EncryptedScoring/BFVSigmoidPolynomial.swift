import Foundation
import Tabular

/// A cubic polynomial p(x) = a0 + a1·x + a2·x² + a3·x³ standing in for the
/// logistic function σ(x) = 1/(1 + e^−x) on a stated range [−R, R], with a
/// proven bound on |p − σ| there: what ``BFVSigmoidScorer`` evaluates under
/// encryption (two ciphertext products).
///
/// ``cubic(range:fit:)`` fits the odd cubic by least squares or minimax; the
/// fits, their errors and how ``maximumError`` is bounded are in
/// <doc:SigmoidScoring>.
///
/// - Warning: outside [−R, R] a cubic does not follow σ (it leaves [0, 1]):
///   the value is meaningful only for logits inside the range.
public struct SigmoidPolynomial: Sendable, Equatable {
  /// How ``cubic(range:fit:)`` chooses the coefficients.
  public enum Fit: String, Sendable, CaseIterable {
    /// Minimises the mean squared error over the range.
    case leastSquares
    /// Minimises the largest error over the range (Remez exchange).
    case minimax
  }

  /// R: the polynomial stands in for σ on [−R, R].
  public let range: Double
  /// a0, a1, a2, a3.
  public let coefficients: [Double]
  /// A bound on |p(x) − σ(x)| for x in [−R, R] (see <doc:SigmoidScoring>).
  public let maximumError: Double

  /// The accepted ranges R.
  public static let rangeLimits: ClosedRange<Double> = 0.5...64

  /// A polynomial of degree at most 3 with given coefficients, its error
  /// against σ on [−range, range] bounded (``maximumError``).
  /// - Parameters:
  ///   - coefficients: a0, a1, …: one to four finite numbers.
  ///   - range: R in ``rangeLimits``.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` otherwise.
  public init(coefficients: [Double], range: Double) throws {
    guard (1...4).contains(coefficients.count), coefficients.allSatisfy(\.isFinite) else {
      throw ScoringError.invalidModel(reason: "a sigmoid polynomial takes 1 to 4 finite coefficients")
    }
    guard range.isFinite, Self.rangeLimits.contains(range) else {
      throw ScoringError.invalidModel(
        reason: "a sigmoid range of \(range): use \(Self.rangeLimits.lowerBound) to \(Self.rangeLimits.upperBound)")
    }
    self.range = range
    self.coefficients = coefficients + [Double](repeating: 0, count: 4 - coefficients.count)
    self.maximumError = Self.errorBound(self.coefficients, range: range)
  }

  /// The odd cubic 1/2 + a1·x + a3·x³ closest to σ on [−range, range].
  /// - Parameters:
  ///   - range: R in ``rangeLimits``; every logit the model gives should lie
  ///     inside (a larger R costs accuracy everywhere).
  ///   - fit: least squares or minimax.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for a range outside the limits.
  public static func cubic(range: Double = 8, fit: Fit = .minimax) throws -> SigmoidPolynomial {
    guard range.isFinite, rangeLimits.contains(range) else {
      throw ScoringError.invalidModel(
        reason: "a sigmoid range of \(range): use \(rangeLimits.lowerBound) to \(rangeLimits.upperBound)")
    }
    // In u = x/R on [0, 1]: σ(Ru) − 1/2 ≈ b1·u + b3·u³, a1 = b1/R, a3 = b3/R³.
    let (b1, b3) = fit == .minimax ? remez(range) : leastSquares(range)
    return try SigmoidPolynomial(coefficients: [0.5, b1 / range, 0, b3 / (range * range * range)], range: range)
  }

  /// p(x).
  public func value(at x: Double) -> Double {
    ((coefficients[3] * x + coefficients[2]) * x + coefficients[1]) * x + coefficients[0]
  }

  // MARK: Fitting

  /// σ(R·u) − 1/2, without cancellation: tanh(Ru/2)/2.
  private static func target(_ u: Double, _ range: Double) -> Double { tanh(range * u / 2) / 2 }

  /// Least squares over [0, 1] (by symmetry, over [−1, 1]), midpoint rule on
  /// 2^14 cells: the 2×2 normal equations of the basis u, u³.
  private static func leastSquares(_ range: Double) -> (Double, Double) {
    let cells = 1 << 14
    var (s2, s4, s6, f1, f3) = (0.0, 0.0, 0.0, 0.0, 0.0)
    for i in 0..<cells {
      let u = (Double(i) + 0.5) / Double(cells)
      let u2 = u * u
      let f = target(u, range)
      s2 += u2
      s4 += u2 * u2
      s6 += u2 * u2 * u2
      f1 += u * f
      f3 += u * u2 * f
    }
    let det = s2 * s6 - s4 * s4
    return ((f1 * s6 - f3 * s4) / det, (s2 * f3 - s4 * f1) / det)
  }

  /// Minimax over [0, 1] by Remez exchange on three reference points (the
  /// error of an odd fit of an odd function vanishes at 0; it equioscillates
  /// at three points of (0, 1]).
  private static func remez(_ range: Double) -> (Double, Double) {
    let grid = 1 << 14
    var reference = [0.25, 0.6, 1.0]
    var best = leastSquares(range)
    for _ in 0..<60 {
      // b1·u + b3·u³ + (−1)^i·E = f(u_i), i = 0, 1, 2, by Cramer's rule.
      let matrix = reference.enumerated().map { i, u in [u, u * u * u, i % 2 == 0 ? 1.0 : -1.0] }
      let rhs = reference.map { target($0, range) }
      func det(_ m: [[Double]]) -> Double {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
          + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
      }
      func solved(_ k: Int) -> Double {
        det(matrix.indices.map { r in var row = matrix[r]; row[k] = rhs[r]; return row }) / det(matrix)
      }
      guard det(matrix) != 0 else { break }
      let (b1, b3, levelled) = (solved(0), solved(1), abs(solved(2)))
      best = (b1, b3)
      // The local extrema of the error on the grid, u = 1 included.
      func error(_ u: Double) -> Double { b1 * u + b3 * u * u * u - target(u, range) }
      var extrema: [(u: Double, e: Double)] = []
      var previous = error(1 / Double(grid))
      var current = error(2 / Double(grid))
      for i in 3...grid {
        let next = error(Double(i) / Double(grid))
        if (current - previous) * (next - current) <= 0 { extrema.append((Double(i - 1) / Double(grid), current)) }
        (previous, current) = (current, next)
      }
      extrema.append((1, current))
      // Alternating signs: of a run of one sign keep the largest.
      var alternating: [(u: Double, e: Double)] = []
      for point in extrema where point.e != 0 {
        if let last = alternating.last, (last.e > 0) == (point.e > 0) {
          if abs(point.e) > abs(last.e) { alternating[alternating.count - 1] = point }
        } else {
          alternating.append(point)
        }
      }
      while alternating.count > 3 {
        if abs(alternating[0].e) < abs(alternating[alternating.count - 1].e) {
          alternating.removeFirst()
        } else {
          alternating.removeLast()
        }
      }
      guard alternating.count == 3 else { break }
      let largest = alternating.map { abs($0.e) }.max() ?? 0
      reference = alternating.map(\.u)
      if largest - levelled <= 1e-12 * largest { break }
    }
    return best
  }

  /// The largest |p − σ| on 2^16 + 1 grid points of [−R, R], plus half a grid
  /// step times a slope bound, plus 10⁻¹⁴.
  private static func errorBound(_ a: [Double], range: Double) -> Double {
    let cells = 1 << 16
    let step = 2 * range / Double(cells)
    var largest = 0.0
    for i in 0...cells {
      let x = -range + Double(i) * step
      let p = ((a[3] * x + a[2]) * x + a[1]) * x + a[0]
      largest = max(largest, abs(p - LinearModel.sigmoid(x)))
    }
    let slope = 0.25 + abs(a[1]) + 2 * abs(a[2]) * range + 3 * abs(a[3]) * range * range
    return largest + step / 2 * slope + 1e-14
  }
}
