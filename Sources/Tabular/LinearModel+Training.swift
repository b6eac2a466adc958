import Foundation

extension LinearModel {
  /// Trains a model in plaintext, for convenience: standardises every feature
  /// (mean 0, population standard deviation 1, kept as the model's scaler),
  /// then fits
  /// - `.logistic`: L2-regularised logistic regression by Newton's method
  ///   (IRLS) with step halving, minimising `Σ logloss + (l2 / 2)·‖w‖²`
  ///   (the intercept is not penalised), which is scikit-learn's
  ///   `LogisticRegression(C = 1 / l2)`;
  /// - `.linear`: ridge least squares, minimising `Σ (y − ŷ)² + l2·‖w‖²`,
  ///   scikit-learn's `Ridge(alpha = l2)` on standardised features.
  ///
  /// - Parameters:
  ///   - data: features and targets (0 or 1 for logistic).
  ///   - l2: the regularisation strength, ≥ 0 (1 matches scikit-learn's defaults).
  /// - Throws: ``TabularError/trainingFailed(reason:)``.
  public static func train(
    _ kind: Kind, on data: Dataset, l2: Double = 1, threshold: Double = 0.5
  ) throws -> LinearModel {
    func fail(_ reason: String) -> TabularError { .trainingFailed(reason: reason) }
    guard data.count >= 2, data.targets.count == data.count else {
      throw fail("need at least two records with a target value each")
    }
    guard l2 >= 0, l2.isFinite else { throw fail("the L2 strength must be a finite number ≥ 0") }
    let scaler = standardScaler(data.features)
    let x = data.features.map { row in row.indices.map { (row[$0] - scaler.mean[$0]) / scaler.scale[$0] } }
    let coefficients: [Double]
    switch kind {
    case .logistic:
      guard data.targets.allSatisfy({ $0 == 0 || $0 == 1 }) else {
        throw fail("logistic targets must be 0 or 1")
      }
      guard Set(data.targets).count == 2 else { throw fail("the targets hold only one class") }
      coefficients = try fitLogistic(x, data.targets, l2: l2)
    case .linear:
      coefficients = try fitRidge(x, data.targets, l2: l2)
    }
    return try LinearModel(
      kind: kind, features: data.featureNames, weights: Array(coefficients.dropFirst()),
      intercept: coefficients[0], scaler: scaler, threshold: threshold)
  }

  /// Mean and population standard deviation per column (scale 1 for a constant column).
  static func standardScaler(_ rows: [[Double]]) -> Scaler {
    let d = rows[0].count
    let n = Double(rows.count)
    var mean = [Double](repeating: 0, count: d)
    for row in rows { for j in 0..<d { mean[j] += row[j] / n } }
    var variance = [Double](repeating: 0, count: d)
    for row in rows { for j in 0..<d { variance[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n } }
    return Scaler(mean: mean, scale: variance.map { $0 > 0 ? $0.squareRoot() : 1 })
  }

  /// Newton's method on the penalised log-loss; returns [intercept, w...].
  static func fitLogistic(_ x: [[Double]], _ y: [Double], l2: Double) throws -> [Double] {
    let d = x[0].count + 1
    var beta = [Double](repeating: 0, count: d)
    func objective(_ b: [Double]) -> Double {
      var total = 0.0
      for (row, label) in zip(x, y) {
        let z = linear(b, row)
        // log(1 + e^z) − y·z, computed stably
        total += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - label * z
      }
      return total + 0.5 * l2 * b.dropFirst().reduce(0) { $0 + $1 * $1 }
    }
    var current = objective(beta)
    for _ in 0..<200 {
      var gradient = [Double](repeating: 0, count: d)
      var hessian = [Double](repeating: 0, count: d * d)
      for (row, label) in zip(x, y) {
        let p = sigmoid(linear(beta, row))
        let weight = max(p * (1 - p), 1e-12)
        for i in 0..<d {
          let xi = i == 0 ? 1 : row[i - 1]
          gradient[i] += (p - label) * xi
          for j in 0...i { hessian[i * d + j] += weight * xi * (j == 0 ? 1 : row[j - 1]) }
        }
      }
      for i in 1..<d {
        gradient[i] += l2 * beta[i]
        hessian[i * d + i] += l2
      }
      for i in 0..<d { for j in 0..<i { hessian[j * d + i] = hessian[i * d + j] } }
      let step = try solveSymmetricPositiveDefinite(hessian, gradient, size: d)
      var scale = 1.0
      var next = beta
      var value = current
      repeat {
        next = zip(beta, step).map { $0 - scale * $1 }
        value = objective(next)
        scale /= 2
      } while value > current + 1e-12 * abs(current) && scale > 1e-10
      let change = zip(next, beta).map { abs($0 - $1) }.max() ?? 0
      beta = next
      current = value
      if change < 1e-10 { return beta }
    }
    return beta
  }

  /// Ridge regression on centred features; returns [intercept, w...].
  static func fitRidge(_ x: [[Double]], _ y: [Double], l2: Double) throws -> [Double] {
    let d = x[0].count
    let yMean = y.reduce(0, +) / Double(y.count)
    var gram = [Double](repeating: 0, count: d * d)
    var rhs = [Double](repeating: 0, count: d)
    for (row, target) in zip(x, y) {
      for i in 0..<d {
        rhs[i] += row[i] * (target - yMean)
        for j in 0..<d { gram[i * d + j] += row[i] * row[j] }
      }
    }
    // A tiny ridge keeps plain least squares solvable with collinear columns.
    for i in 0..<d { gram[i * d + i] += max(l2, 1e-9) }
    // Features are centred, so the intercept is the target's mean.
    return [yMean] + (try solveSymmetricPositiveDefinite(gram, rhs, size: d))
  }

  private static func linear(_ beta: [Double], _ row: [Double]) -> Double {
    var z = beta[0]
    for j in row.indices { z += beta[j + 1] * row[j] }
    return z
  }

  /// Solves `A·x = b` for symmetric positive-definite `A` (row-major) by Cholesky.
  static func solveSymmetricPositiveDefinite(_ a: [Double], _ b: [Double], size n: Int) throws -> [Double] {
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var sum = a[i * n + j]
        for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
        if i == j {
          guard sum > 0, sum.isFinite else {
            throw TabularError.trainingFailed(reason: "the system is singular (constant or duplicate features?)")
          }
          l[i * n + i] = sum.squareRoot()
        } else {
          l[i * n + j] = sum / l[j * n + j]
        }
      }
    }
    var z = b
    for i in 0..<n {
      for k in 0..<i { z[i] -= l[i * n + k] * z[k] }
      z[i] /= l[i * n + i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      for k in (i + 1)..<n { z[i] -= l[k * n + i] * z[k] }
      z[i] /= l[i * n + i]
    }
    return z
  }
}

/// Accuracy and error of a model on labelled data, in plaintext.
public struct Evaluation: Sendable, Equatable {
  /// Fraction of records whose label equals the target (logistic models).
  public var accuracy: Double
  /// Root-mean-square error of the linear score against the target (linear models).
  public var rootMeanSquareError: Double
  /// The coefficient of determination R² (linear models).
  public var rSquared: Double

  /// Evaluates `model` on `data`.
  /// - Throws: ``TabularError/featureMismatch(expected:found:)``.
  public init(model: LinearModel, data: Dataset) throws {
    guard model.features == data.featureNames else {
      throw TabularError.featureMismatch(expected: model.features, found: data.featureNames)
    }
    var correct = 0
    var squaredError = 0.0
    let mean = data.targets.reduce(0, +) / Double(max(data.targets.count, 1))
    var total = 0.0
    for (row, target) in zip(data.features, data.targets) {
      let score = model.linearScore(row)
      if Double(model.label(forLogit: score)) == target { correct += 1 }
      squaredError += (score - target) * (score - target)
      total += (target - mean) * (target - mean)
    }
    let n = Double(max(data.targets.count, 1))
    accuracy = Double(correct) / n
    rootMeanSquareError = (squaredError / n).squareRoot()
    rSquared = total > 0 ? 1 - squaredError / total : 0
  }
}
