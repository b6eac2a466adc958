// swift-tools-version: 6.1
// HEKit's fuzz targets: a nested package, built with libFuzzer and
// AddressSanitizer by `make fuzz` (see README.md here). Each target feeds
// arbitrary bytes to one family of readers and fails only on a crash, a
// leak, a hang or an error that is not the reader's typed error.

import PackageDescription

let fuzzTargets = [
  "FuzzPaillierKeys", "FuzzPaillierCiphertexts", "FuzzBatchFiles", "FuzzModel", "FuzzCSV", "FuzzBFV", "FuzzBFVFiles",
  "FuzzThresholdShares",
]

let package = Package(
  name: "HEKitFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "HEKit", path: "..")],
  targets: [
    .target(name: "CFuzzDriver", path: "Targets/CFuzzDriver"),
    .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Targets/FuzzSupport"),
  ]
    + fuzzTargets.map { name in
      .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "HEKit", package: "HEKit")],
        path: "Targets/\(name)"
      )
    }
)
