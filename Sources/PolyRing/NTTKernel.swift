import Foundation

/// Which implementation of the NTT butterflies runs: chosen once per process
/// by measurement, as FFTW plans its transforms. Both give identical results.
///
/// Swift has no compile-time test for CPU features, and the SIMD kernel pays
/// only when the code was compiled for a CPU with wide 64-bit lanes
/// (AVX-512: 2–2.4× the scalar speed) and costs when it was not (SSE2: 2–3×
/// slower). So the first context built times both on a 4096-point transform
/// and keeps the faster. The environment variable `HEKIT_NTT_KERNEL`
/// (`scalar` or `simd8`) overrides the choice, for benchmarks and tests.
public enum NTTKernel: String, Sendable, CaseIterable {
  /// One butterfly at a time on UInt64 (Harvey lazy butterflies, Shoup twiddles).
  case scalar
  /// Eight butterflies at a time on SIMD8<UInt64>, same ranges.
  case simd8

  /// The smallest degree the SIMD kernel handles; smaller rings use scalar.
  public static let minimumSIMDDegree = 16

  /// The kernel this process uses for degrees of at least ``minimumSIMDDegree``.
  public static let preferred: NTTKernel = {
    if let name = ProcessInfo.processInfo.environment["HEKIT_NTT_KERNEL"],
      let forced = NTTKernel(rawValue: name)
    {
      return forced
    }
    return measureFastest()
  }()

  /// Times both kernels (best of several forward and inverse transforms at
  /// N = 4096 over a 60-bit prime) and returns the faster; scalar if the two
  /// ever disagree.
  static func measureFastest() -> NTTKernel {
    let degree = 4096
    guard let modulus = try? Modulus.nttFriendlyPrimes(bitWidths: [60], degree: degree).first,
      let tables = try? NTTTables(degree: degree, modulus: modulus, kernel: .scalar),
      let simdTables = try? NTTTables(degree: degree, modulus: modulus, kernel: .simd8)
    else { return .scalar }
    var scalarValues = (0..<degree).map { UInt64($0) &* 0x9E37_79B9 % modulus.value }
    var simdValues = scalarValues
    let clock = ContinuousClock()
    var best: [NTTKernel: Duration] = [.scalar: .seconds(1), .simd8: .seconds(1)]
    scalarValues.withUnsafeMutableBufferPointer { scalarBuffer in
      simdValues.withUnsafeMutableBufferPointer { simdBuffer in
        let s = scalarBuffer.baseAddress.unsafelyUnwrapped
        let v = simdBuffer.baseAddress.unsafelyUnwrapped
        for _ in 0..<15 {
          let scalarTime = clock.measure {
            tables.forwardScalar(s)
            tables.inverseScalar(s)
          }
          let simdTime = clock.measure {
            simdTables.forwardSIMD8(v)
            simdTables.inverseSIMD8(v)
          }
          best[.scalar] = min(best[.scalar] ?? scalarTime, scalarTime)
          best[.simd8] = min(best[.simd8] ?? simdTime, simdTime)
        }
      }
    }
    guard scalarValues == simdValues else { return .scalar }
    return (best[.simd8] ?? .seconds(1)) < (best[.scalar] ?? .seconds(1)) ? .simd8 : .scalar
  }
}
