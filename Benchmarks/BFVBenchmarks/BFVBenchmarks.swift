// BFV's benchmarks at the presets N = 4096 (log q 109) and N = 8192 (log q 218),
// one core. Keys, inputs and prepared plaintexts are made outside the measured
// blocks; names carry N and log q, as the anchors in Benchmarks/README.md
// (SEAL, OpenFHE, Apple's swift-homomorphic-encryption) do.

import BFV
import Benchmark
import PolyRing

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 3,
    maxDuration: .seconds(2),
    maxIterations: 2_000
  )

  // The RNS kernels of the HPS multiplication, alone (5 primes → 5 primes).
  if let q = try? PolyContext(degree: 8192, moduli: Modulus.nttFriendlyPrimes(bitWidths: [43, 43, 44, 44, 44], degree: 8192)),
    let p = try? PolyContext(degree: 8192, moduli: Modulus.nttFriendlyPrimes(bitWidths: [61, 61, 61, 61, 61], degree: 8192)),
    let converter = try? BaseConverter(from: q, to: p)
  {
    var generator = SystemRandomNumberGenerator()
    let x: Poly<Coeff> = Sampler.uniform(in: q, using: &generator)
    Benchmark("RNS exact conversion 5→5 primes N=8192") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try converter.convertExactly(x)) }
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
    let encoder = BFV.Encoder(parameters: parameters)
    let t = parameters.plaintextModulus
    let values = (0..<parameters.degree).map { UInt64($0) * 7919 % t }
    guard let plaintext = try? encoder.encode(values),
      let x = try? publicKey.encrypt(plaintext),
      let y = try? publicKey.encrypt(plaintext),
      let product = try? x.multiplied(by: y)
    else { continue }
    let prepared = plaintext.preparedForMultiplication()

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
    Benchmark("BFV multiply plaintext prepared \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try x * prepared) }
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
    Benchmark("BFV noise budget \(suffix)", configuration: .init(maxIterations: 20)) { benchmark in
      for _ in benchmark.scaledIterations { blackHole(try secretKey.noiseBudget(x)) }
    }
  }
}
