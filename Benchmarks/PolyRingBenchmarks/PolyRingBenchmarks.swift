// PolyRing's benchmarks, with NTL's zz_pX on the same inputs in the same run
// (through CNTL). Inputs and tables are built outside the measured blocks;
// names carry the parameters. Every measured loop works in place, so the
// malloc counters show what the NTT and pointwise loops allocate (nothing).

import Benchmark
import CNTL
import PolyRing

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
    timeUnits: .microseconds,
    warmupIterations: 10,
    maxDuration: .seconds(2),
    maxIterations: 20_000
  )

  // What the harness itself allocates per iteration, to subtract from the rest.
  Benchmark("PolyRing baseline (empty iteration)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(benchmark) }
  }

  for degree in [4096, 8192, 16384] {
    guard let modulus = try? Modulus.nttFriendlyPrimes(bitWidths: [60], degree: degree)[0],
      let context = try? PolyContext(degree: degree, moduli: [modulus])
    else { continue }
    let tables = context.nttTables[0]
    let seedA = [UInt8](repeating: 1, count: 32)
    let seedB = [UInt8](repeating: 2, count: 32)
    guard let a: Poly<Coeff> = try? Sampler.uniform(in: context, seed: seedA),
      let b: Poly<Coeff> = try? Sampler.uniform(in: context, seed: seedB)
    else { continue }
    // The kernel is measured once per process (NTTKernel.preferred);
    // HEKIT_NTT_KERNEL=scalar or simd8 forces one.
    let suffix = "N=\(degree) q=60b"
    let kernel = tables.kernel.rawValue

    Benchmark("NTT forward \(suffix) \(kernel)") { benchmark in
      var values = a.data.map { $0 }  // a unique buffer: no copy on write below
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { try tables.forward(&values) }
      benchmark.stopMeasurement()
      blackHole(values)
    }
    Benchmark("NTT inverse \(suffix) \(kernel)") { benchmark in
      var values = a.data.map { $0 }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { try tables.inverse(&values) }
      benchmark.stopMeasurement()
      blackHole(values)
    }
    Benchmark("Pointwise multiply \(suffix)") { benchmark in
      var x = a.forwardNTT()
      let y = b.forwardNTT()
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { try x.multiply(y) }
      benchmark.stopMeasurement()
      blackHole(x)
    }
    // The full product from coefficient form: two forward NTTs, the pointwise
    // product, one inverse NTT. Two buffers are allocated per product (the
    // copies of a and b, which stay intact); the rest works in place.
    Benchmark("Negacyclic product \(suffix) \(kernel)") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try (a.forwardNTT() * b.forwardNTT()).inverseNTT())
      }
    }
    // The same product in place: no allocation at all.
    Benchmark("Negacyclic product in place \(suffix) \(kernel)") { benchmark in
      var x = a.data.map { $0 }
      var y = b.data.map { $0 }
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        try tables.forward(&x)
        try tables.forward(&y)
        x.withUnsafeMutableBufferPointer { xs in
          y.withUnsafeBufferPointer { ys in
            for j in 0..<degree { xs[j] = modulus.multiply(xs[j], ys[j]) }
          }
        }
        try tables.inverse(&x)
      }
      benchmark.stopMeasurement()
      blackHole(x)
    }

    // NTL on the same inputs.
    guard let ntl = cntl_bench_create(degree, modulus.value, a.data, b.data) else { continue }
    Benchmark("NTL zz_pX negacyclic product \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { cntl_bench_multiply(ntl) }
    }
    Benchmark("NTL zz_pX forward transform \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { cntl_bench_forward_transform(ntl) }
    }
    // NTL's best case: its own 60-bit FFT prime, one modular FFT per operand.
    guard let ntlFFT = cntl_bench_create_fft_prime(degree, a.data, b.data) else { continue }
    Benchmark("NTL zz_pX negacyclic product N=\(degree) q=60b FFT prime") { benchmark in
      for _ in benchmark.scaledIterations { cntl_bench_multiply(ntlFFT) }
    }
  }
}
