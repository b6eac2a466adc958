// Paillier's benchmarks, side by side with Benchmarks/raw/paillier_floor.c
// (the same methods on plain GMP). Keys and inputs are made outside the
// measured blocks; the DJN table is built before measuring. Names carry the
// key size; "1 core" and "all cores" rows of a batch compare directly.

import Benchmark
import BigNum
import Dispatch
import Paillier

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 2,
    maxDuration: .seconds(3),
    maxIterations: 1_000
  )

  for bits in [2048, 3072] {
    guard let key = try? Paillier.PrivateKey.generate(bits: bits) else { continue }
    let pk = key.publicKey
    _ = try? pk.encrypt(0)  // builds the DJN table outside the measurements
    var generator = SecureRandom()
    let m = (try? BigInteger.random(bitWidth: bits - 8, using: &generator)) ?? 1
    guard let c = try? pk.encrypt(m) else { continue }

    Benchmark("Paillier encrypt djn \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try pk.encrypt(m)) }
    }
    Benchmark("Paillier encrypt standard \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try pk.encrypt(m, mode: .standard)) }
    }
    Benchmark("Paillier encrypt standard by key owner (CRT) \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try key.encrypt(m)) }
    }
    Benchmark("Paillier DJN obfuscator h_s^alpha \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try pk.obfuscator(mode: .djn)) }
    }
    Benchmark("Paillier decrypt (CRT) \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try key.decryptRaw(c)) }
    }
    Benchmark("Paillier add ciphertexts \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try c + c) }
    }

    // A 30-term dot product with 64-bit weights: one multi-exponentiation
    // against 30 separate powers multiplied together.
    let terms = 30
    let values = (0..<terms).compactMap { _ in try? pk.encrypt(BigInteger.random(bitWidth: 200)) }
      .map(\.withUnknownBound)
    let weights = (0..<terms).map { _ in (try? BigInteger.random(bitWidth: 64)) ?? 1 }
    Benchmark("Paillier dot product \(terms) terms 64b weights \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try Paillier.Ciphertext.dotProduct(values, weights)) }
    }
    Benchmark("Paillier \(terms) separate products 64b weights \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations {
        var sum = try values[0] * weights[0]
        for i in 1..<terms { sum = try sum + values[i] * weights[i] }
        blackHole(sum)
      }
    }

    // Batches: the same work on one core and over all cores.
    let batch = (0..<32).map { BigInteger($0 * 1000) }
    let batchCiphertexts = (try? pk.encrypt(batch: batch)) ?? []
    Benchmark("Paillier batch encrypt 32 djn 1 core \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations {
        for value in batch { blackHole(try pk.encrypt(value)) }
      }
    }
    Benchmark("Paillier batch encrypt 32 djn all cores \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try pk.encrypt(batch: batch)) }
    }
    Benchmark("Paillier batch decrypt 32 1 core \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations {
        for ciphertext in batchCiphertexts { blackHole(try key.decrypt(ciphertext)) }
      }
    }
    Benchmark("Paillier batch decrypt 32 all cores \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try key.decrypt(batch: batchCiphertexts)) }
    }
  }
}
