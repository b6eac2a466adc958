// swift-tools-version: 6.1
// HEKit's benchmarks: a nested package, so that users of the library never
// build the benchmark framework. Run with `make bench` from the repository root.

import PackageDescription

let package = Package(
  name: "HEKitBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "HEKit", path: ".."),
    .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // The measuring tools under Probes/ are plain executables, not benchmarks:
    // `swift package benchmark` runs only targets whose folder sits directly in
    // Benchmarks/, so they stay out of its runs and `make bench` calls them.
    // Raw GMP calls for side-by-side timing in the same process.
    .target(name: "RawGMP", path: "RawGMP", linkerSettings: [.linkedLibrary("gmp")]),
    // The regression thresholds every suite shares (`make bench-check`).
    .target(
      name: "BenchmarkSupport",
      dependencies: [.product(name: "Benchmark", package: "package-benchmark"), .product(name: "PolyRing", package: "HEKit")],
      path: "Support"
    ),
    // The report: results/latest.json, latest.md and the chart latest.svg, from the
    // suites' stored baselines and the raw floors' JSON (`make bench-report`).
    .target(name: "BenchReportKit", path: "Report/BenchReportKit"),
    .executableTarget(
      name: "BenchReport",
      dependencies: ["BenchReportKit", .product(name: "Benchmark", package: "package-benchmark")],
      path: "Probes/BenchReport"
    ),
    .testTarget(
      name: "BenchReportTests",
      dependencies: ["BenchReportKit"],
      path: "Report/Tests",
      resources: [.copy("Fixtures")]
    ),
    // BigInteger.power against raw mpz_powm, interleaved: `make bench-overhead`.
    .executableTarget(
      name: "PowerOverhead",
      dependencies: [.product(name: "BigNum", package: "HEKit"), "RawGMP"],
      path: "Probes/PowerOverhead"
    ),
    // Allocations per operation, GMP's own versus Swift's: `make bench-allocs`.
    .executableTarget(
      name: "AllocationProbe",
      dependencies: [.product(name: "BigNum", package: "HEKit")],
      path: "Probes/AllocationProbe"
    ),
    .executableTarget(
      name: "BigNumBenchmarks",
      dependencies: [
        .product(name: "BigNum", package: "HEKit"),
        .product(name: "Benchmark", package: "package-benchmark"),
        "BenchmarkSupport",
      ],
      path: "BigNumBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
    // Paillier next to Benchmarks/raw/paillier_floor.c (the same methods on plain GMP).
    .executableTarget(
      name: "PaillierBenchmarks",
      dependencies: [
        .product(name: "Paillier", package: "HEKit"),
        .product(name: "BigNum", package: "HEKit"),
        .product(name: "Benchmark", package: "package-benchmark"),
        "BenchmarkSupport",
      ],
      path: "PaillierBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
    // Batch scaling over all cores, with the scheduler's view (see its header).
    .executableTarget(
      name: "PaillierParallelProbe",
      dependencies: [.product(name: "Paillier", package: "HEKit"), .product(name: "BigNum", package: "HEKit")],
      path: "Probes/PaillierParallelProbe"
    ),
    // The Paillier server score in thread CPU time, against the float-weight dot product.
    .executableTarget(
      name: "ScoreProbe",
      dependencies: [.product(name: "HEKit", package: "HEKit")],
      path: "Probes/ScoreProbe"
    ),
    // BFV's operations in thread CPU time (min and median over rounds), for
    // judging an optimisation on a loaded machine; also a callgrind driver.
    .executableTarget(
      name: "BFVProbe",
      dependencies: [.product(name: "BFV", package: "HEKit"), "BenchmarkSupport"],
      path: "Probes/BFVProbe"
    ),
    // The C interface over NTL, from HEKit's CShims/_CNTL (a symbolic link:
    // HEKit's own target is for its tests and not a product).
    .target(
      name: "NTLReference", path: "CShims/NTLReference",
      linkerSettings: [.linkedLibrary("ntl"), .linkedLibrary("gmp")]),
    // PolyRing next to NTL (through the NTL shim) in the same run.
    .executableTarget(
      name: "PolyRingBenchmarks",
      dependencies: [
        .product(name: "PolyRing", package: "HEKit"),
        "NTLReference",
        .product(name: "Benchmark", package: "package-benchmark"),
        "BenchmarkSupport",
      ],
      path: "PolyRingBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
    // BFV at the N = 4096 and 8192 presets (anchors in README.md).
    .executableTarget(
      name: "BFVBenchmarks",
      dependencies: [
        .product(name: "BFV", package: "HEKit"),
        .product(name: "Benchmark", package: "package-benchmark"),
        "BenchmarkSupport",
      ],
      path: "BFVBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
    // EncryptedML end to end on the bundled data: Paillier server score, BFV batch,
    // each batch on one core and on all cores.
    .executableTarget(
      name: "EncryptedMLBenchmarks",
      dependencies: [
        .product(name: "HEKit", package: "HEKit"),
        .product(name: "Benchmark", package: "package-benchmark"),
        "BenchmarkSupport",
      ],
      path: "EncryptedMLBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
    // Time against the parameter set where the other suites stop: BFV at N = 16384.
    .executableTarget(
      name: "ScalingBenchmarks",
      dependencies: [
        .product(name: "BFV", package: "HEKit"),
        .product(name: "Benchmark", package: "package-benchmark"),
        "BenchmarkSupport",
      ],
      path: "ScalingBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    ),
  ]
)
