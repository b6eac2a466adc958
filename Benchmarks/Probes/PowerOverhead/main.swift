// BigInteger.power against raw C mpz_powm on the same inputs, interleaved
// call by call in one process, so both see the same machine state (this
// machine's speed drifts by up to a third between minutes). Prints the median
// of each and their ratio. `make bench-overhead` from the repository root.

import BigNum
import Foundation
import RawGMP

#if canImport(Glibc)
  import Glibc
#endif

let rounds = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 41
var generator = SecureRandom()
print("BigInteger.power vs raw C mpz_powm, interleaved, \(rounds) rounds each, medians in ms")
print("| modulus | raw C mpz_powm | BigInteger.power | ratio | raw C mpz_powm_sec | constantTimePower | ratio |")
print("|--------:|---------------:|-----------------:|------:|-------------------:|------------------:|------:|")
for bits in [2048, 3072, 4096] {
  let top = BigInteger(1) << (bits - 1)
  let modulus = top + (try BigInteger.random(bitWidth: bits - 2, using: &generator)) * 2 + 1
  let base = try BigInteger.random(below: modulus, using: &generator)
  let exponent = top + (try BigInteger.random(bitWidth: bits - 1, using: &generator))
  guard let raw = raw_powm_create(base.hexString, exponent.hexString, modulus.hexString) else {
    fatalError("raw_powm_create rejected the inputs")
  }
  defer { raw_powm_destroy(raw) }
  let clock = ContinuousClock()
  func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15
  }
  var rawTimes: [Double] = [], swiftTimes: [Double] = [], rawSec: [Double] = [], swiftSec: [Double] = []
  var result = BigInteger()
  for _ in 0..<rounds {
    rawTimes.append(milliseconds(clock.measure { raw_powm_run(raw) }))
    swiftTimes.append(milliseconds(try clock.measure { result = try base.power(exponent, modulus: modulus) }))
    rawSec.append(milliseconds(clock.measure { raw_powm_sec_run(raw) }))
    swiftSec.append(milliseconds(try clock.measure { result = try base.constantTimePower(exponent, modulus: modulus) }))
  }
  // Same answer from both, or the comparison means nothing.
  if let hex = raw_powm_result_hex(raw) {
    precondition(String(cString: hex) == result.hexString, "raw C and BigInteger disagree")
    free(hex)
  }
  func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
  let (r, s, rs, ss) = (median(rawTimes), median(swiftTimes), median(rawSec), median(swiftSec))
  let row = [r, s, s / r, rs, ss, ss / rs].map { String(format: "%.3f", $0) }
  print("| \(bits) | \(row[0]) | \(row[1]) | \(row[2]) | \(row[3]) | \(row[4]) | \(row[5]) |")
}
