// swift-tools-version: 6.1
// HEKit: computing on encrypted data (Paillier and BFV) in Swift, on GMP.

import PackageDescription

let package = Package(
  name: "HEKit",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "HEKit", targets: ["HEKit"]),
    .library(name: "BigNum", targets: ["BigNum"]),
    .library(name: "Paillier", targets: ["Paillier"]),
    .library(name: "PolyRing", targets: ["PolyRing"]),
    .library(name: "BFV", targets: ["BFV"]),
    // NTL as a reference for HEKit's own benchmarks; no HEKit library links it.
    .library(name: "CNTL", targets: ["CNTL"]),
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
    // C interface over NTL (C++): the oracle of PolyRing's tests and the
    // baseline of its benchmarks. Needs libntl-dev.
    .target(
      name: "CNTL",
      path: "CShims/CNTL",
      linkerSettings: [.linkedLibrary("ntl"), .linkedLibrary("gmp")]
    ),
    // Refuses JSON that names a key twice in one object (Foundation keeps the last).
    .target(name: "StrictJSON"),
    // SHA-256 for the threshold proofs' challenges and key identities.
    .target(
      name: "Paillier", dependencies: ["BigNum", "StrictJSON", .product(name: "Crypto", package: "swift-crypto")]),
    .target(
      name: "EncryptedML",
      dependencies: ["BigNum", "Paillier", "BFV", "StrictJSON", .product(name: "Crypto", package: "swift-crypto")]),
    .target(name: "HEKit", dependencies: ["BigNum", "PolyRing", "BFV", "Paillier", "EncryptedML", "StrictJSON"]),
    .executableTarget(
      name: "hekit",
      dependencies: [
        "HEKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .testTarget(name: "BigNumTests", dependencies: ["BigNum", "CGMP"]),
    .testTarget(name: "HEKitCLITests", dependencies: ["hekit", "BigNum"]),
    .testTarget(
      name: "EncryptedMLTests",
      dependencies: ["EncryptedML", "Paillier", "BigNum", "BFV", .product(name: "Crypto", package: "swift-crypto")]),
    .testTarget(name: "PaillierTests", dependencies: ["Paillier", "BigNum"]),
    .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"]),
    .testTarget(
      name: "PolyRingTests",
      dependencies: [
        "PolyRing", "BigNum", "CNTL", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]),
    .testTarget(name: "BFVTests", dependencies: ["BFV", "PolyRing", "BigNum"]),
  ],
  swiftLanguageModes: [.v6]
)
