// What every HEKit benchmark suite shares: the regression thresholds that
// `make bench-check` applies against the committed baseline.

import Benchmark

/// The tolerances of `make bench-check` (`swift package benchmark baseline
/// check committed`): a benchmark fails the check when its run is worse than
/// the committed baseline by more than these, and is reported (not failed)
/// when it is better by more.
///
/// Wall clock is judged on the best iteration (p0), which other processes
/// disturb least, and on the median (p50), with room for this machine's own
/// drift: the same raw `mpz_powm` read 25.0, 26.7 and 33.8 ms in three quiet
/// runs minutes apart (Benchmarks/README.md), so anything tighter than about
/// 30% would fail on noise. Allocations are counted, not timed, and are held
/// to 10%. CPU time is not judged: on Linux it is counted in 10 ms scheduler
/// ticks, coarser than most of these benchmarks.
public enum HEKitThresholds {
  /// One-core benchmarks: p0 within +30%, median within +50%, allocations within 10%.
  public static var singleCore: [BenchmarkMetric: BenchmarkThresholds] {
    [
      .wallClock: .init(relative: [.p0: 30, .p50: 50]),
      .mallocCountTotal: .init(relative: [.p50: 10]),
    ]
  }

  /// Benchmarks over all cores, which also depend on the scheduler: p0 within
  /// +40%, median within +75%, allocations within 10%.
  public static var allCores: [BenchmarkMetric: BenchmarkThresholds] {
    [
      .wallClock: .init(relative: [.p0: 40, .p50: 75]),
      .mallocCountTotal: .init(relative: [.p50: 10]),
    ]
  }

  /// Benchmarks whose work is random by design (prime generation): wall clock
  /// median within +100%, allocations not judged.
  public static var randomized: [BenchmarkMetric: BenchmarkThresholds] {
    [
      .wallClock: .init(relative: [.p50: 100])
    ]
  }
}
