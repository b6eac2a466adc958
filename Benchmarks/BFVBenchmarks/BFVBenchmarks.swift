// BFV's benchmarks at the presets N = 4096 (log q 109) and N = 8192 (log q 218),
// one core, every public operation. Keys, inputs and prepared plaintexts are
// made outside the measured blocks; names carry N and log q, as the anchors in
// Benchmarks/README.md (SEAL, OpenFHE, Apple's swift-homomorphic-encryption) do.

import BFV
import Benchmark
import BenchmarkSupport
import PolyRing

let benchmarks: @Sendable () -> Void = {
  applyKernelChoiceFromEnvironment()
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 3,
    maxDuration: .seconds(2),
    maxIterations: 2_000,
    thresholds: HEKitThresholds.singleCore
  )

  // The RNS kernels of the N = 8192 product alone: q (5 primes) and its
  // auxiliary basis P (4 primes of 61 bits, P > q).
  if let q = try? PolyContext(degree: 8192, moduli: Modulus.nttFriendlyPrimes(bitWidths: [43, 43, 44, 44, 44], degree: 8192)),
    let candidates = try? Modulus.nttFriendlyPrimes(bitWidths: [Int](repeating: 61, count: 9), degree: 8192),
    let p = try? PolyContext(degree: 8192, moduli: Array(candidates.filter { !q.moduli.contains($0) }.prefix(4))),
    let pq = try? p.joined(with: q),
    let toP = try? BaseConverter(from: q, to: p),
    let fromP = try? BaseConverter(from: p, to: q),
    let overQ = try? RNSScaler(from: q, numerator: p.basis.product, outputModuli: p.moduli),
    let back = try? RNSScaler(from: pq, scaledCount: 4, numerator: 1_032_193)
  {
    var generator = SystemRandomNumberGenerator()
    let x: Poly<Coeff> = Sampler.uniform(in: q, using: &generator)
    let y: Poly<Coeff> = Sampler.uniform(in: p, using: &generator)
    let z: Poly<Coeff> = Sampler.uniform(in: pq, using: &generator)
    Benchmark("RNS exact conversion q→P 5→4 primes N=8192") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try toP.convertExactly(x)) }
    }
    Benchmark("RNS exact conversion P→q 4→5 primes N=8192") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try fromP.convertExactly(y)) }
    }
    Benchmark("RNS scaling round(P·x/q) 5→4 primes N=8192") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try overQ.scaleAndRound(x, into: p)) }
    }
    Benchmark("RNS scaling round(t·x/P) 4+5→5 primes N=8192") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try back.scaleAndRound(z, into: q)) }
    }
    Benchmark("NTT forward 5 primes N=8192") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(x.forwardNTT()) }
    }
  }

  for preset in [BFV.Preset.n4096, .n8192] {
    guard let parameters = try? BFV.Parameters(preset: preset) else { continue }
    let suffix = "N=\(parameters.degree) logq=\(parameters.logQ)"
    let secretKey = BFV.SecretKey(parameters: parameters)
    let publicKey = secretKey.publicKey()
    let relinearizationKey = secretKey.relinearizationKey()
    let galoisKeys = secretKey.galoisKeys(steps: [1])
    let powerKeys = secretKey.powerOfTwoGaloisKeys()
    let encoder = BFV.Encoder(parameters: parameters)
    let t = parameters.plaintextModulus
    let values = (0..<parameters.degree).map { UInt64($0) * 7919 % t }
    guard let plaintext = try? encoder.encode(values),
      let x = try? publicKey.encrypt(plaintext),
      let y = try? publicKey.encrypt(plaintext),
      let product = try? x.multiplied(by: y)
    else { continue }
    let prepared = plaintext.preparedForMultiplication()
    let bytes = x.serialized()
    let seeded = (try? secretKey.encrypt(plaintext))?.serialized() ?? []

    Benchmark("BFV encode \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try encoder.encode(values)) }
    }
    Benchmark("BFV decode \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try encoder.decode(plaintext)) }
    }
    Benchmark("BFV encrypt public-key \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try publicKey.encrypt(plaintext)) }
    }
    Benchmark("BFV encrypt secret-key seeded \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try secretKey.encrypt(plaintext)) }
    }
    Benchmark("BFV decrypt \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try secretKey.decrypt(x)) }
    }
    Benchmark("BFV add \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x + y) }
    }
    Benchmark("BFV add plaintext \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x + plaintext) }
    }
    Benchmark("BFV add plaintext prepared \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x + prepared) }
    }
    Benchmark("BFV multiply plaintext prepared \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x * prepared) }
    }
    Benchmark("BFV multiply plaintext \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x * plaintext) }
    }
    Benchmark("BFV prepare plaintext \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(plaintext.preparedForMultiplication()) }
    }
    Benchmark("BFV subtract \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x - y) }
    }
    Benchmark("BFV negate \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(-x) }
    }
    Benchmark("BFV multiply scalar \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(x * 3) }
    }
    Benchmark("BFV multiply \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x.multiplied(by: y)) }
    }
    Benchmark("BFV relinearize \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations {
        var z = product
        try z.relinearize(using: relinearizationKey)
        blackHole(z)
      }
    }
    Benchmark("BFV multiply+relinearize \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try x.multiplied(by: y, relinearizingWith: relinearizationKey))
      }
    }
    Benchmark("BFV rotate rows by 1 \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x.rotatedRows(by: 1, using: galoisKeys)) }
    }
    Benchmark("BFV swap columns \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x.swappedColumns(using: galoisKeys)) }
    }
    Benchmark("BFV square+relinearize \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try x.multiplied(by: x, relinearizingWith: relinearizationKey))
      }
    }
    Benchmark("BFV inner product (sum of slots) \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x.innerProduct(with: prepared, using: powerKeys)) }
    }
    Benchmark("BFV switch modulus down \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations {
        var z = x
        try z.switchModulusDown()
        blackHole(z)
      }
    }
    Benchmark("BFV flood noise \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations {
        var z = x
        try z.floodNoise(using: publicKey)
        blackHole(z)
      }
    }
    Benchmark("BFV serialize \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(x.serialized()) }
    }
    Benchmark("BFV deserialize \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try BFV.Ciphertext(deserializing: bytes, parameters: parameters)) }
    }
    Benchmark("BFV deserialize seeded \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try BFV.Ciphertext(deserializing: seeded, parameters: parameters)) }
    }
    Benchmark("BFV keygen secret+public \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(BFV.SecretKey(parameters: parameters).publicKey()) }
    }
    Benchmark("BFV keygen relinearization \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(secretKey.relinearizationKey()) }
    }
    Benchmark("BFV keygen Galois key (one step) \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(secretKey.galoisKeys(steps: [1], includeColumnSwap: false)) }
    }
    Benchmark("BFV noise budget \(suffix)", configuration: .init(maxIterations: 20)) { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try secretKey.noiseBudget(x)) }
    }
  }
}
