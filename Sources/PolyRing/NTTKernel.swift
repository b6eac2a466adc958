internal import CCPUFeatures
import Synchronization

/// Which implementation of the NTT butterflies (and of the RNS lane kernels)
/// runs. Both give identical results.
///
/// The SIMD kernel pays only when the code was compiled for a CPU with wide
/// 64-bit lanes (AVX-512: about twice the scalar speed) and costs when it was
/// not (SSE2: two to three times slower). Swift cannot test CPU features at
/// compile time, but the Clang importer can, with the importing module's
/// target CPU: so the choice follows how PolyRing was built
/// (``compiledFor``), the same in every run of one binary, with nothing
/// timed. ``prefer(_:)`` overrides it, for benchmarks and tests (the command
/// line reads `HEKIT_NTT_KERNEL` for it).
public enum NTTKernel: String, Sendable, CaseIterable {
  /// One butterfly at a time on UInt64 (Harvey lazy butterflies, Shoup twiddles).
  case scalar
  /// Eight butterflies at a time on SIMD8<UInt64>, same ranges.
  case simd8

  /// The smallest degree the SIMD kernel handles; smaller rings use scalar.
  public static let minimumSIMDDegree = 16

  /// The kernel this build pays with: ``simd8`` when PolyRing was compiled
  /// for AVX-512 (`-Xswiftc -target-cpu -Xswiftc native` on such a CPU, as
  /// `make build` does), else ``scalar``.
  public static let compiledFor: NTTKernel = hekit_compiled_for_avx512() != 0 ? .simd8 : .scalar

  /// 0: no override; else 1 + the index of the kernel in ``allCases``.
  private static let override = Atomic<UInt8>(0)

  /// The kernel for degrees of at least ``minimumSIMDDegree``: the one named
  /// by ``prefer(_:)``, else ``compiledFor``.
  public static var preferred: NTTKernel {
    let value = override.load(ordering: .relaxed)
    return value == 0 ? compiledFor : allCases[Int(value) - 1]
  }

  /// Makes `kernel` the preferred one for tables and kernels built from now
  /// on (nil: back to ``compiledFor``). Call it at start-up, before any
  /// ``PolyContext`` is built: rings already built keep their kernel.
  public static func prefer(_ kernel: NTTKernel?) {
    let value = kernel.flatMap { allCases.firstIndex(of: $0) }.map { UInt8($0 + 1) } ?? 0
    override.store(value, ordering: .relaxed)
  }
}
