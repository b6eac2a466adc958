// Threshold decryption (t = 3 of n = 5) at 2048 bits: dealing from given
// safe primes, one party's partial decryption (with its proof), checking one
// partial, and combining three (each verified first). Safe primes are slow
// to find, so the dealing starts from two fixed ones: generated once with
// OpenSSL 3.0 (`openssl prime -generate -safe -bits 1024 -hex`, two runs),
// public test data, never a key to use. Setup (dealing, encrypting, the
// partials) stays outside the measured blocks.

import Benchmark
import BenchmarkSupport
import BigNum
import Paillier

struct ThresholdFixture: Sendable {
  static let safePrimes1024 = [
    "cf1d966cfb0934b8208f031a501541735b492943d54163c5a5f29bd5058e2c97f4dac54c171bb47bf7bacf22fdff96862b128c893f8a1ed208e59cb6307a20231224542d63bbc553212855538f548e36fd73b0df2335e41487955b2abc4d801eeb7cd4da42ca1ce5a740139a5eca02232f3c513c5b647023ea9161aca1d37e97",
    "e10ed93b28f596c849683f323ab831ed4c597a560f303514bad7e7349e0c0fa0c64718a39dc07dbde718e254c1c3d21a4d77809d8626d407eb505454983c4e40b31fa08a56ebb39bdb74478cddbf1f894a7b8d8f9f38696ee0e1a724c530d567c773b1b03f4304292caf20e37b1e91a99b1957cfb1b325af6a26095bd8de8633",
  ]

  let p: BigInteger
  let q: BigInteger
  let key: Paillier.ThresholdPublicKey
  let shares: [Paillier.ThresholdKeyShare]
  let c: Paillier.Ciphertext
  let partials: [Paillier.PartialDecryption]

  init() throws {
    p = try BigInteger(Self.safePrimes1024[0], radix: 16)
    q = try BigInteger(Self.safePrimes1024[1], radix: 16)
    (key, shares) = try Paillier.ThresholdPublicKey.deal(threshold: 3, parties: 5, p: p, q: q)
    let c = try key.publicKey.encrypt(BigInteger(1) << 200)
    self.c = c
    partials = try shares.map { try $0.partialDecrypt(c) }
  }

  static let shared = Result { try ThresholdFixture() }
}

func thresholdBenchmarks() {
  func bench(_ name: String, _ body: @escaping @Sendable (ThresholdFixture) throws -> Void) {
    Benchmark(
      "\(name) 2048b",
      configuration: .init(thresholds: HEKitThresholds.singleCore),
      closure: { benchmark in
        let f = try ThresholdFixture.shared.get()
        for _ in benchmark.scaledIterations { try body(f) }
      },
      setup: { _ = try ThresholdFixture.shared.get() })
  }

  bench("Paillier threshold deal 3 of 5 given safe primes") { f in
    blackHole(try Paillier.ThresholdPublicKey.deal(threshold: 3, parties: 5, p: f.p, q: f.q))
  }
  bench("Paillier threshold partial decrypt with proof") { f in blackHole(try f.shares[1].partialDecrypt(f.c)) }
  bench("Paillier threshold verify one partial") { f in try f.key.verify(f.partials[1], for: f.c) }
  bench("Paillier threshold combine 3 of 5 verified") { f in
    blackHole(try f.key.decryptRaw(f.c, partials: [f.partials[0], f.partials[2], f.partials[4]]))
  }
}
