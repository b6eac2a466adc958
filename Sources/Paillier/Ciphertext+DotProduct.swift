import BigNum

// Sums of many ciphertexts and dot products with plaintext weights, each as
// one multi-exponentiation modulo n² (the squarings shared by all terms)
// rather than one power per term.

extension Paillier.Ciphertext {
  /// `E(Σ aᵢ)`: the product of the ciphertexts, exponents aligned to the lowest.
  ///
  /// - Throws: ``PaillierError/emptyInput``, ``PaillierError/keyMismatch``,
  ///   ``PaillierError/plaintextOutOfRange(limit:)``.
  /// - Complexity: `k − 1` multiplications modulo `n²` when the exponents
  ///   agree; otherwise one multi-exponentiation.
  public static func sum(_ ciphertexts: [Paillier.Ciphertext]) throws(PaillierError) -> Paillier.Ciphertext {
    guard let first = ciphertexts.first else { throw .emptyInput }
    if ciphertexts.allSatisfy({ $0.exponent == first.exponent }) {
      let key = first.publicKey
      guard ciphertexts.allSatisfy({ $0.publicKey == key }) else { throw .keyMismatch }
      var bound: BigInteger? = 0
      var value = first.value
      for (index, ciphertext) in ciphertexts.enumerated() {
        bound = sumBound(bound, ciphertext.magnitudeBound)
        if index > 0 { value = product(value, ciphertext.value, key) }
      }
      return Paillier.Ciphertext(
        unchecked: value, exponent: first.exponent, publicKey: key, magnitudeBound: try checked(bound, key))
    }
    return try dotProduct(ciphertexts, Array(repeating: BigInteger(1), count: ciphertexts.count))
  }

  /// `E(Σ kᵢ·aᵢ)` for integer weights (negative too), computed as one
  /// simultaneous multi-exponentiation `∏ cᵢ^kᵢ mod n²`.
  ///
  /// - Parameters:
  ///   - ciphertexts: under one key; exponents may differ (each is folded into
  ///     its weight as a power of 16, so no extra exponentiation is spent).
  ///   - weights: one per ciphertext, `|kᵢ| ≤ maxInt`.
  /// - Throws: ``PaillierError/emptyInput``, ``PaillierError/lengthMismatch(expected:actual:)``,
  ///   ``PaillierError/keyMismatch``, ``PaillierError/plaintextOutOfRange(limit:)``
  ///   (checked on `Σ |kᵢ| · boundᵢ` before computing).
  /// - Complexity: about `b` squarings and `k · (b / (w+1) + 2^(w−1))`
  ///   multiplications modulo `n²` for `k` weights of `b` bits, against
  ///   `k · b` squarings for separate powers.
  public static func dotProduct(_ ciphertexts: [Paillier.Ciphertext], _ weights: [BigInteger]) throws(PaillierError)
    -> Paillier.Ciphertext
  {
    guard let first = ciphertexts.first else { throw .emptyInput }
    var encoded: [Paillier.EncodedNumber] = []
    encoded.reserveCapacity(weights.count)
    for weight in weights { encoded.append(try Paillier.EncodedNumber(weight, publicKey: first.publicKey)) }
    return try dotProduct(ciphertexts, encoded)
  }

  /// `E(Σ xᵢ·aᵢ)` for real weights, each encoded as python-paillier does.
  public static func dotProduct(_ ciphertexts: [Paillier.Ciphertext], _ weights: [Double]) throws(PaillierError) -> Paillier.Ciphertext {
    guard let first = ciphertexts.first else { throw .emptyInput }
    var encoded: [Paillier.EncodedNumber] = []
    encoded.reserveCapacity(weights.count)
    for weight in weights { encoded.append(try Paillier.EncodedNumber(weight, publicKey: first.publicKey)) }
    return try dotProduct(ciphertexts, encoded)
  }

  /// `E(Σ wᵢ·aᵢ)` for encoded weights: the result's exponent is the lowest
  /// `exponent(cᵢ) + exponent(wᵢ)`, the others folded into their weights.
  public static func dotProduct(_ ciphertexts: [Paillier.Ciphertext], _ weights: [Paillier.EncodedNumber]) throws(PaillierError)
    -> Paillier.Ciphertext
  {
    guard let first = ciphertexts.first else { throw .emptyInput }
    guard weights.count == ciphertexts.count else {
      throw .lengthMismatch(expected: ciphertexts.count, actual: weights.count)
    }
    let key = first.publicKey
    var target = Int.max
    for (ciphertext, weight) in zip(ciphertexts, weights) {
      guard ciphertext.publicKey == key, weight.publicKey == key else { throw .keyMismatch }
      target = min(target, ciphertext.exponent + weight.exponent)
    }
    var terms: [(base: BigInteger, exponent: BigInteger)] = []
    terms.reserveCapacity(ciphertexts.count)
    var bound: BigInteger? = 0
    for (ciphertext, weight) in zip(ciphertexts, weights) {
      let shift = (ciphertext.exponent + weight.exponent - target) * Paillier.EncodedNumber.bitsPerDigit
      guard shift <= key.n.bitWidth else { throw .plaintextOutOfRange(limit: key.maxInt) }
      let k = try weight.mantissa() << shift
      bound = sumBound(bound, ciphertext.magnitudeBound.map { $0 * k.magnitude })
      terms.append((ciphertext.value, k))
    }
    bound = try checked(bound, key)
    let value: BigInteger
    do {
      value = try BigInteger.productOfPowers(terms, modulus: key.nSquared)
    } catch {
      throw .invalidCiphertext
    }
    return Paillier.Ciphertext(unchecked: value, exponent: target, publicKey: key, magnitudeBound: bound)
  }
}
