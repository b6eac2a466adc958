// PolyRing's benchmarks, with NTL's zz_pX on the same inputs in the same run
// (through the NTL shim). Inputs and tables are built outside the measured blocks;
// names carry the parameters and the NTT kernel this process runs (scalar in
// the default build, simd8 when compiled with -target-cpu native on an AVX-512
// CPU; HEKIT_NTT_KERNEL=scalar|simd8 forces one). Every measured loop but the
// value-returning product works in place, so the malloc counters show what the
// NTT and pointwise loops allocate: nothing beyond the harness's own (the
// baseline benchmark).

import Benchmark
import BenchmarkSupport
import NTLReference
import PolyRing

let benchmarks: @Sendable () -> Void = {
  applyKernelChoiceFromEnvironment()
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
    timeUnits: .microseconds,
    warmupIterations: 10,
    maxDuration: .seconds(1),
    maxIterations: 20_000,
    thresholds: HEKitThresholds.singleCore
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
    Benchmark("Pointwise multiply \(suffix) \(kernel)") { benchmark in
      var x = a.forwardNTT()
      let y = b.forwardNTT()
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { try x.multiply(y) }
      benchmark.stopMeasurement()
      blackHole(x)
    }
    // The product as a user writes it, from coefficient form: two forward
    // NTTs, the pointwise product, one inverse NTT. a and b stay intact, so
    // two buffers are allocated per product (their copies, 2 mallocs); the
    // transforms and the product then work in those buffers.
    Benchmark("Negacyclic product \(suffix) \(kernel)") { benchmark in
      for _ in benchmark.scaledIterations {
        blackHole(try (a.forwardNTT() * b.forwardNTT()).inverseNTT())
      }
    }
    // The same four steps in place, when the operands need not be kept: the
    // same public calls on polynomials the loop owns; no allocation at all.
    // (y is transformed again each round; the cost does not depend on values.)
    Benchmark("Negacyclic product in place \(suffix) \(kernel)") { benchmark in
      var x = a
      var y = b
      x.multiply(by: 1 as UInt64)  // make both buffers unique before measuring
      y.multiply(by: 1 as UInt64)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations {
        var ex = (consume x).forwardNTT()
        let ey = (consume y).forwardNTT()
        try ex.multiply(ey)
        x = (consume ex).inverseNTT()
        y = (consume ey).reinterpreted(as: Coeff.self)
      }
      benchmark.stopMeasurement()
      blackHole(x)
    }

    // NTL on the same inputs, in the same process.
    guard let ntl = cntl_bench_create(degree, modulus.value, a.data, b.data) else { continue }
    Benchmark("NTL zz_pX negacyclic product \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { cntl_bench_multiply(ntl) }
    }
    Benchmark("NTL zz_pX forward transform \(suffix)") { benchmark in
      for _ in benchmark.scaledIterations { cntl_bench_forward_transform(ntl) }
    }
    // NTL's best case, which the report compares with: its own 60-bit FFT prime,
    // one modular FFT per operand (with the prime above, a CRT over several).
    guard let ntlFFT = cntl_bench_create_fft_prime(degree, a.data, b.data) else { continue }
    Benchmark("NTL zz_pX negacyclic product N=\(degree) q=60b FFT prime") { benchmark in
      for _ in benchmark.scaledIterations { cntl_bench_multiply(ntlFFT) }
    }
    Benchmark("NTL zz_pX forward transform N=\(degree) q=60b FFT prime") { benchmark in
      for _ in benchmark.scaledIterations { cntl_bench_forward_transform(ntlFFT) }
    }
  }
}
