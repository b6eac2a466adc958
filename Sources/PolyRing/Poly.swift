/// The form a polynomial is in: a type parameter of ``Poly``, so that an
/// operation that needs one form cannot be applied to the other.
public protocol PolyForm: Sendable {}

/// Coefficient form: the N coefficients of a(X), one row per RNS limb.
public enum Coeff: PolyForm {}

/// Evaluation (NTT) form: a(ψ^(2·bitrev(j)+1)) for j in 0..<N, per RNS limb.
/// Products are pointwise here.
public enum Eval: PolyForm {}

/// An element of R_Q = Z_Q[X]/(X^N + 1) in RNS representation.
///
/// All L limbs (one per modulus q_i) live in one contiguous buffer of N·L
/// words, limb-major: word `i·N + j` is coefficient (or evaluation) j mod q_i,
/// always reduced to [0, q_i). The form, ``Coeff`` or ``Eval``, is part of the
/// type: `forwardNTT()` exists only on `Poly<Coeff>`, pointwise `*` only on
/// `Poly<Eval>`.
public struct Poly<Form: PolyForm>: Sendable {
  /// The ring this polynomial belongs to.
  public let context: PolyContext
  /// N·L residues, limb-major, each in [0, q_i).
  public internal(set) var data: [UInt64]

  init(context: PolyContext, uncheckedData data: [UInt64]) {
    assert(data.count == context.wordCount)
    self.context = context
    self.data = data
  }

  /// The zero polynomial of a ring.
  public static func zero(in context: PolyContext) -> Poly {
    Poly(context: context, uncheckedData: [UInt64](repeating: 0, count: context.wordCount))
  }

  /// A polynomial from its residues, one array of N values per modulus.
  /// - Throws: ``PolyRingError/lengthMismatch(expected:actual:)`` or
  ///   ``PolyRingError/coefficientOutOfRange(index:modulus:)``.
  public init(context: PolyContext, limbs: [[UInt64]]) throws(PolyRingError) {
    guard limbs.count == context.basis.count else {
      throw .lengthMismatch(expected: context.basis.count, actual: limbs.count)
    }
    var data: [UInt64] = []
    data.reserveCapacity(context.wordCount)
    for (i, limb) in limbs.enumerated() {
      guard limb.count == context.degree else {
        throw .lengthMismatch(expected: context.degree, actual: limb.count)
      }
      let q = context.moduli[i].value
      for (j, value) in limb.enumerated() where value >= q {
        throw .coefficientOutOfRange(index: i * context.degree + j, modulus: q)
      }
      data.append(contentsOf: limb)
    }
    self.init(context: context, uncheckedData: data)
  }

  /// A polynomial with small signed coefficients (the same in every limb),
  /// each reduced mod q_i.
  /// - Throws: ``PolyRingError/lengthMismatch(expected:actual:)``.
  public init(context: PolyContext, signedCoefficients: [Int64]) throws(PolyRingError)
  where Form == Coeff {
    guard signedCoefficients.count == context.degree else {
      throw .lengthMismatch(expected: context.degree, actual: signedCoefficients.count)
    }
    var data = [UInt64](repeating: 0, count: context.wordCount)
    for (i, modulus) in context.moduli.enumerated() {
      for (j, c) in signedCoefficients.enumerated() {
        let r = modulus.reduce(c.magnitude)
        data[i * context.degree + j] = c < 0 ? modulus.negate(r) : r
      }
    }
    self.init(context: context, uncheckedData: data)
  }

  /// The residues modulo q_i: N values in [0, q_i), indexed from 0.
  /// - Precondition: `index` in 0..<L (programmer error otherwise).
  public func limb(_ index: Int) -> [UInt64] {
    Array(data[index * context.degree..<(index + 1) * context.degree])
  }

  /// All limbs as separate arrays.
  public var limbs: [[UInt64]] { (0..<context.basis.count).map { limb($0) } }

  func checkSameRing<Other>(_ other: Poly<Other>) throws(PolyRingError) {
    guard context.isSameRing(as: other.context) else { throw .contextMismatch }
  }
}

extension Poly: Equatable {
  /// Equal when in the same ring with the same residues.
  public static func == (lhs: Poly, rhs: Poly) -> Bool {
    lhs.context.isSameRing(as: rhs.context) && lhs.data == rhs.data
  }
}
