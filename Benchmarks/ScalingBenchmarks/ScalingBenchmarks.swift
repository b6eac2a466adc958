// Time against the parameter set where the other suites stop: BFV at the
// N = 16384 preset (log q 438), one core, with the same benchmark names as
// BFVBenchmarks uses at N = 4096 and 8192, so the report draws one curve per
// operation across the three degrees.
//
// Keys are made in each benchmark's setup hook: package-benchmark runs every
// benchmark in its own process, and this way a process makes only what its
// benchmark measures (N = 16384 keys take a few seconds).

import BFV
import Benchmark
import BenchmarkSupport

/// One preset's keys and inputs, made on first use in a process.
final class BFVFixture: Sendable {
  let suffix: String
  let secretKey: BFV.SecretKey
  let publicKey: BFV.PublicKey
  let relinearizationKey: BFV.RelinearizationKey
  let galoisKeys: BFV.GaloisKeys
  let plaintext: BFV.Plaintext
  let prepared: BFV.PreparedPlaintext
  let x: BFV.Ciphertext
  let y: BFV.Ciphertext

  init(_ preset: BFV.Preset) throws {
    let parameters = try BFV.Parameters(preset: preset)
    suffix = "N=\(parameters.degree) logq=\(parameters.logQ)"
    secretKey = BFV.SecretKey(parameters: parameters)
    publicKey = secretKey.publicKey()
    relinearizationKey = secretKey.relinearizationKey()
    galoisKeys = secretKey.galoisKeys(steps: [1])
    let encoder = BFV.Encoder(parameters: parameters)
    let t = parameters.plaintextModulus
    plaintext = try encoder.encode((0..<parameters.degree).map { UInt64($0) * 7919 % t })
    prepared = plaintext.preparedForMultiplication()
    x = try publicKey.encrypt(plaintext)
    y = try publicKey.encrypt(plaintext)
  }

  static let n16384 = Result { try BFVFixture(.n16384) }
}

let benchmarks: @Sendable () -> Void = {
  applyKernelChoiceFromEnvironment()
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
    timeUnits: .microseconds,
    warmupIterations: 2,
    maxDuration: .seconds(2),
    maxIterations: 500,
    thresholds: HEKitThresholds.singleCore
  )

  // The name's parameters must match the preset's (checked when the fixture is built).
  let suffix = "N=16384 logq=438"
  func fixture() throws -> BFVFixture {
    let fixture = try BFVFixture.n16384.get()
    guard fixture.suffix == suffix else { throw BFVError.invalidParameters("preset is now \(fixture.suffix)") }
    return fixture
  }
  func bench(_ name: String, _ body: @escaping @Sendable (BFVFixture) throws -> Void) {
    Benchmark(
      "\(name) \(suffix)",
      closure: { benchmark in
        let f = try fixture()
        for _ in benchmark.scaledIterations { try body(f) }
      },
      setup: { _ = try fixture() })
  }

  bench("BFV encrypt public-key") { f in blackHole(try f.publicKey.encrypt(f.plaintext)) }
  bench("BFV decrypt") { f in blackHole(try f.secretKey.decrypt(f.x)) }
  bench("BFV multiply plaintext prepared") { f in blackHole(try f.x * f.prepared) }
  bench("BFV multiply+relinearize") { f in
    blackHole(try f.x.multiplied(by: f.y, relinearizingWith: f.relinearizationKey))
  }
  bench("BFV rotate rows by 1") { f in blackHole(try f.x.rotatedRows(by: 1, using: f.galoisKeys)) }
}
