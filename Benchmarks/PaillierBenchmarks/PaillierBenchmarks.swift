// Paillier's benchmarks, side by side with Benchmarks/raw/paillier_floor.c
// (the same methods on plain GMP), at 2048, 3072 and 4096 bits. Keys and
// inputs are made outside the measured blocks, in each benchmark's setup
// hook: package-benchmark runs every benchmark in its own process, so a
// process generates only the key its benchmark needs (a 4096-bit key takes
// seconds). The DJN table is built there too. Names carry the key size;
// "1 core" and "all cores" rows of a batch compare directly. Threshold
// decryption's rows are in ThresholdBenchmarks.swift.

import Benchmark
import BenchmarkSupport
import BigNum
import Dispatch
import Paillier

/// One key size's key, inputs and ciphertexts, made on first use in a process.
struct PaillierFixture: Sendable {
  let key: Paillier.PrivateKey
  let m: BigInteger
  let c: Paillier.Ciphertext
  let values: [Paillier.Ciphertext]
  let weights: [BigInteger]
  let batch: [BigInteger]
  let batchCiphertexts: [Paillier.Ciphertext]
  var pk: Paillier.PublicKey { key.publicKey }

  static let terms = 30
  static let batchSize = 32

  init(bits: Int) throws {
    key = try Paillier.PrivateKey.generate(bits: bits)
    let pk = key.publicKey
    _ = try pk.encrypt(0)  // builds the DJN table outside the measurements
    var generator = SecureRandom()
    m = try BigInteger.random(bitWidth: bits - 8, using: &generator)
    c = try pk.encrypt(m)
    values = try (0..<Self.terms).map { _ in try pk.encrypt(BigInteger.random(bitWidth: 200)).withUnknownBound }
    weights = try (0..<Self.terms).map { _ in try BigInteger.random(bitWidth: 64) }
    batch = (0..<Self.batchSize).map { BigInteger($0 * 1000) }
    batchCiphertexts = try pk.encrypt(batch: batch)
  }

  static let k2048 = Result { try PaillierFixture(bits: 2048) }
  static let k3072 = Result { try PaillierFixture(bits: 3072) }
  static let k4096 = Result { try PaillierFixture(bits: 4096) }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 2,
    maxDuration: .seconds(3),
    maxIterations: 1_000,
    thresholds: HEKitThresholds.singleCore
  )

  for (bits, fixture) in [(2048, PaillierFixture.k2048), (3072, PaillierFixture.k3072), (4096, PaillierFixture.k4096)] {
    func bench(
      _ name: String, cores: Bool = false, _ body: @escaping @Sendable (PaillierFixture) throws -> Void
    ) {
      Benchmark(
        "\(name) \(bits)b",
        configuration: .init(thresholds: cores ? HEKitThresholds.allCores : HEKitThresholds.singleCore),
        closure: { benchmark in
          let f = try fixture.get()
          for _ in benchmark.scaledIterations { try body(f) }
        },
        setup: { _ = try fixture.get() })
    }

    bench("Paillier encrypt djn") { f in blackHole(try f.pk.encrypt(f.m)) }
    bench("Paillier encrypt standard") { f in blackHole(try f.pk.encrypt(f.m, mode: .standard)) }
    bench("Paillier decrypt (CRT)") { f in blackHole(try f.key.decryptRaw(f.c)) }
    bench("Paillier dot product 30 terms 64b weights") { f in
      blackHole(try Paillier.Ciphertext.dotProduct(f.values, f.weights))
    }
    // The batches: the same work on one core and over all cores.
    bench("Paillier batch encrypt 32 djn 1 core") { f in
      for value in f.batch { blackHole(try f.pk.encrypt(value)) }
    }
    bench("Paillier batch encrypt 32 djn all cores", cores: true) { f in blackHole(try f.pk.encrypt(batch: f.batch)) }
    if bits == 4096 { continue }  // the rest at the two common sizes only

    bench("Paillier encrypt standard by key owner (CRT)") { f in blackHole(try f.key.encrypt(f.m)) }
    bench("Paillier DJN obfuscator h_s^alpha") { f in blackHole(try f.pk.obfuscator(mode: .djn)) }
    bench("Paillier add ciphertexts") { f in blackHole(try f.c + f.c) }
    // 30 separate powers multiplied together: what the dot product replaces.
    bench("Paillier 30 separate products 64b weights") { f in
      var sum = try f.values[0] * f.weights[0]
      for i in 1..<PaillierFixture.terms { sum = try sum + f.values[i] * f.weights[i] }
      blackHole(sum)
    }
    bench("Paillier batch decrypt 32 1 core") { f in
      for ciphertext in f.batchCiphertexts { blackHole(try f.key.decrypt(ciphertext)) }
    }
    bench("Paillier batch decrypt 32 all cores", cores: true) { f in
      blackHole(try f.key.decrypt(batch: f.batchCiphertexts))
    }
  }

  thresholdBenchmarks()  // ThresholdBenchmarks.swift: 3 of 5 at 2048 bits
}
