import ArgumentParser
import HEKit

import Foundation

/// `hekit demo`: the main job on bundled data. Until the encrypted schemes
/// land it runs the big-integer self-check that they will stand on.
struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run HEKit's self-check of the arithmetic it is built on.",
    discussion: """
      Draws fresh random primes from the OS CSPRNG and checks, with printed \
      timings, the identities that Paillier and RSA-style schemes rely on.
      """
  )

  @Option(help: "Modulus size in bits (a product of two primes of half the size).")
  var bits = 2048

  func validate() throws {
    guard (256...8192).contains(bits), bits % 2 == 0 else {
      throw ValidationError("--bits must be an even number from 256 to 8192, got \(bits)")
    }
  }

  func run() throws {
    print("HEKit \(HEKitVersion.string) self-check of BigNum (GMP) at \(bits) bits")
    let report = try SelfCheck.run(bits: bits) { line in print(line) }
    print("\(report.passed) passed, \(report.failed) failed")
    if report.failed > 0 { throw ExitCode.failure }
  }
}
