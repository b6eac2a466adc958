import BigNum
import Paillier

/// Safe primes (p and (p − 1)/2 both prime) for the threshold tests: finding
/// them is the slow part of dealing, so the tests deal from these instead.
/// Generated once with OpenSSL 3.0 (`openssl prime -generate -safe -bits 256 -hex`,
/// four runs), an implementation independent of ``Paillier/randomSafePrime(bitWidth:)``;
/// the tests check them with BigNum's primality test. Insecure (512-bit n).
enum ThresholdFixtures {
  static let safePrimes256: [String] = [
    "d6efae5cbdd6ba4f8df30b4edc686488a01fec7064c48cd5af16798ec30ba53f",
    "cecc1fdb53e8b173f043e49d970314d7b2a2d850135fbe1279c71b489e60b15b",
    "ef2c27afcbf5d8e2daa425560b33e071383bf92652d727fb8a0346e3dccd3533",
    "d27317481b436be3913652470036116bce0dc046c3d1798ba89131bdbaeb3bc3",
  ]

  /// Two 1024-bit safe primes (`openssl prime -generate -safe -bits 1024 -hex`,
  /// two runs), the same as Benchmarks/PaillierBenchmarks' fixture: a 2048-bit key.
  static let safePrimes1024: [String] = [
    "cf1d966cfb0934b8208f031a501541735b492943d54163c5a5f29bd5058e2c97f4dac54c171bb47bf7bacf22fdff96862b128c893f8a1ed208e59cb6307a20231224542d63bbc553212855538f548e36fd73b0df2335e41487955b2abc4d801eeb7cd4da42ca1ce5a740139a5eca02232f3c513c5b647023ea9161aca1d37e97",
    "e10ed93b28f596c849683f323ab831ed4c597a560f303514bad7e7349e0c0fa0c64718a39dc07dbde718e254c1c3d21a4d77809d8626d407eb505454983c4e40b31fa08a56ebb39bdb74478cddbf1f894a7b8d8f9f38696ee0e1a724c530d567c773b1b03f4304292caf20e37b1e91a99b1957cfb1b325af6a26095bd8de8633",
  ]

  static func prime(_ i: Int) -> BigInteger { try! BigInteger(safePrimes256[i], radix: 16) }

  /// A fresh dealing of a 512-bit key from the first two primes (`other`: the last two).
  static func deal(threshold: Int, parties: Int, other: Bool = false) throws
    -> (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare])
  {
    try Paillier.ThresholdPublicKey.insecureDeal(
      threshold: threshold, parties: parties, p: prime(other ? 2 : 0), q: prime(other ? 3 : 1))
  }

  /// One 3-of-5 dealing shared by the tests of a process.
  static let threeOfFive: (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare]) = {
    do { return try deal(threshold: 3, parties: 5) } catch { fatalError("dealing failed: \(error)") }
  }()

  /// A 2-of-3 dealing under another modulus, for mismatch checks.
  static let otherTwoOfThree: (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare]) = {
    do { return try deal(threshold: 2, parties: 3, other: true) } catch { fatalError("dealing failed: \(error)") }
  }()
}

/// The subsets of `1 ... n` of size `k`, in lexicographic order.
func subsets(of n: Int, size k: Int) -> [[Int]] {
  guard k > 0 else { return [[]] }
  guard k <= n else { return [] }
  return subsets(of: n - 1, size: k - 1).map { $0 + [n] } + subsets(of: n - 1, size: k)
}
