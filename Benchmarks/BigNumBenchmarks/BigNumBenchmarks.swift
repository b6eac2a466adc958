// BigNum's benchmarks, side by side with Benchmarks/raw/gmp_floor.c (the same
// operations on plain GMP). Inputs are drawn outside the measured block;
// names carry the parameters.

import Benchmark
import BenchmarkSupport
import BigNum

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
    timeUnits: .microseconds,
    warmupIterations: 3,
    maxDuration: .seconds(3),
    maxIterations: 2_000,
    thresholds: HEKitThresholds.singleCore
  )

  for bits in [2048, 3072, 4096] {
    // Inputs as in gmp_floor.c: odd modulus of exactly `bits` bits, base below
    // it, exponent of the full width.
    var generator = SecureRandom()
    let modulus = oddModulus(bits: bits, using: &generator)
    let base = (try? BigInteger.random(below: modulus, using: &generator)) ?? 2
    let exponent = fullWidth(bits: bits, using: &generator)
    let square = modulus.squared()
    let a = (try? BigInteger.random(below: square, using: &generator)) ?? 3
    let b = (try? BigInteger.random(below: square, using: &generator)) ?? 5

    Benchmark("BigNum power \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try base.power(exponent, modulus: modulus))
      }
    }
    Benchmark("BigNum power in place \(bits)b") { benchmark in
      var value = base
      for _ in benchmark.scaledIterations {
        try value.formPower(exponent, modulus: modulus)
      }
      blackHole(value)
    }
    Benchmark("BigNum constant-time power \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try base.constantTimePower(exponent, modulus: modulus))
      }
    }
    Benchmark("BigNum product mod n^2 \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try (a * b).modulo(square))
      }
    }
    Benchmark("BigNum inverse mod n \(bits)b") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(base.inverse(modulo: modulus))
      }
    }
  }

  // What the harness itself allocates per sample, to subtract from the rest
  // (a throwing closure, like the benchmarks above).
  Benchmark("BigNum baseline (empty iteration)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try passThrough(benchmark)) }
  }

  Benchmark(
    "BigNum random prime 1536b",
    configuration: .init(maxDuration: .seconds(10), maxIterations: 20, thresholds: HEKitThresholds.randomized)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try BigInteger.randomPrime(bitWidth: 1536))
    }
  }
}

private func oddModulus(bits: Int, using generator: inout SecureRandom) -> BigInteger {
  let top = BigInteger(1) << (bits - 1)
  let low = (try? BigInteger.random(bitWidth: bits - 1, using: &generator)) ?? 0
  return low.isOdd ? top + low : top + low + 1
}

private func fullWidth(bits: Int, using generator: inout SecureRandom) -> BigInteger {
  ((try? BigInteger.random(bitWidth: bits - 1, using: &generator)) ?? 0) + (BigInteger(1) << (bits - 1))
}

private func passThrough<T>(_ value: T) throws -> T { value }
