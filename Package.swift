// swift-tools-version: 6.1
// HEKit: computing on encrypted data (Paillier and BFV) in Swift, on GMP.

import PackageDescription

let package = Package(
  name: "HEKit",
  platforms: [.macOS(.v15)],
  products: [
    // Everything below in one import.
    .library(name: "HEKit", targets: ["HEKit"]),
    .library(name: "BigNum", targets: ["BigNum"]),
    .library(name: "Paillier", targets: ["Paillier"]),
    .library(name: "PolyRing", targets: ["PolyRing"]),
    .library(name: "BFV", targets: ["BFV"]),
    .library(name: "StrictJSON", targets: ["StrictJSON"]),
    .library(name: "Tabular", targets: ["Tabular"]),
    .library(name: "DifferentialPrivacy", targets: ["DifferentialPrivacy"]),
    .library(name: "HEKitFormats", targets: ["HEKitFormats"]),
    .library(name: "EncryptedScoring", targets: ["EncryptedScoring"]),
    .library(name: "EncryptedAnalytics", targets: ["EncryptedAnalytics"]),
    .executable(name: "hekit", targets: ["hekit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // SHA-256 (key identities) and ChaCha20 (seeded and secret sampling streams).
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
  ],
  targets: [
    // GMP, found through pkg-config (gmp.pc), plus the few inline wrappers
    // that Swift cannot import from gmp.h (macros) and a secure clear.
    .systemLibrary(
      name: "CGMP",
      path: "CShims/CGMP",
      pkgConfig: "gmp",
      providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]
    ),
    .target(name: "BigNum", dependencies: ["CGMP"]),
    // What the Swift code was compiled for (AVX-512 or not), read through the
    // Clang importer: picks PolyRing's NTT kernel without timing anything.
    .target(name: "CCPUFeatures", path: "CShims/CCPUFeatures"),
    .target(
      name: "PolyRing",
      dependencies: [
        "BigNum", "CCPUFeatures", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    .target(name: "BFV", dependencies: ["PolyRing", "BigNum"]),
    // C interface over NTL (C++): the oracle of PolyRing's tests (not a
    // product; the benchmark package builds the same files through a link).
    // Needs libntl-dev.
    .target(
      name: "_CNTL",
      path: "CShims/_CNTL",
      linkerSettings: [.linkedLibrary("ntl"), .linkedLibrary("gmp")]
    ),
    // Refuses JSON that names a key twice in one object (Foundation keeps the last).
    .target(name: "StrictJSON"),
    // SHA-256 for the threshold proofs' challenges and key identities.
    .target(
      name: "Paillier", dependencies: ["BigNum", "StrictJSON", .product(name: "Crypto", package: "swift-crypto")]),
    // CSV, datasets, linear models and their training: plaintext, Foundation only.
    .target(name: "Tabular", dependencies: ["StrictJSON"]),
    // Noise mechanisms with exact samplers, and their accounting.
    .target(name: "DifferentialPrivacy", dependencies: ["BigNum"]),
    // The files of both schemes: keys, batch files, their headers and trailers.
    .target(
      name: "HEKitFormats",
      dependencies: [
        "BigNum", "BFV", "Paillier", "StrictJSON", "Tabular", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // A model scored on encrypted records: fixed point, the Paillier and BFV scorers and clients.
    .target(name: "EncryptedScoring", dependencies: ["BigNum", "Paillier", "PolyRing", "BFV", "Tabular", "HEKitFormats"]),
    // Statistics over encrypted records (and over batch files of them) and secure aggregation of vectors.
    .target(
      name: "EncryptedAnalytics",
      dependencies: ["BigNum", "Paillier", "BFV", "Tabular", "DifferentialPrivacy", "HEKitFormats"]),
    // The umbrella: re-exports only.
    .target(
      name: "HEKit",
      dependencies: [
        "BigNum", "PolyRing", "BFV", "Paillier", "StrictJSON", "Tabular", "DifferentialPrivacy", "HEKitFormats",
        "EncryptedScoring", "EncryptedAnalytics",
      ]),
    .executableTarget(
      name: "hekit",
      dependencies: [
        "HEKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .testTarget(name: "BigNumTests", dependencies: ["BigNum", "CGMP", "_TestSupport"]),
    .testTarget(name: "HEKitCLITests", dependencies: ["hekit", "BigNum"]),
    // Where the bundled data and the known-answer vectors are; for the test targets only.
    .target(name: "_TestSupport", path: "Tests/_TestSupport"),
    .testTarget(name: "TabularTests", dependencies: ["Tabular", "_TestSupport"]),
    .testTarget(name: "DifferentialPrivacyTests", dependencies: ["DifferentialPrivacy", "BigNum", "_TestSupport"]),
    .testTarget(
      name: "HEKitFormatsTests", dependencies: ["HEKitFormats", "BFV", "BigNum", "Paillier", "Tabular", "_TestSupport"]),
    .testTarget(
      name: "EncryptedScoringTests",
      dependencies: [
        "EncryptedScoring", "Tabular", "HEKitFormats", "Paillier", "BFV", "PolyRing", "BigNum", "_TestSupport",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(
      name: "EncryptedAnalyticsTests",
      dependencies: [
        "EncryptedAnalytics", "DifferentialPrivacy", "Tabular", "Paillier", "BFV", "BigNum", "HEKitFormats",
        "_TestSupport",
      ]),
    .testTarget(name: "PaillierTests", dependencies: ["Paillier", "BigNum"]),
    .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"]),
    .testTarget(
      name: "PolyRingTests",
      dependencies: [
        "PolyRing", "BigNum", "_CNTL", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    .testTarget(name: "BFVTests", dependencies: ["BFV", "PolyRing", "BigNum"]),
  ],
  swiftLanguageModes: [.v6]
)
