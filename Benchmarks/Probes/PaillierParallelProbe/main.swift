// Batch encryption and decryption on one core and over all cores, with the
// scheduler's view of the parallel run (Linux /proc/self/task/*/schedstat):
// on-CPU time and time runnable but waiting for a CPU. When
// (on-CPU + waiting) / wall is close to the number of worker threads, no
// thread ever blocked on HEKit's side (no lock, no serial section); a speedup
// below that on a busy machine is other processes holding the cores.
//
//   swift run -c release --package-path Benchmarks PaillierParallelProbe [BITS]
//
// `PaillierParallelProbe count encrypt|decrypt BITS N` instead runs N DJN
// encryptions or CRT decryptions and nothing else (a key from fixed primes),
// the Swift side of the instruction counts in README.md (run it under
// `valgrind --tool=callgrind` for N = 10 and 60, as raw/paillier_floor.c's
// `count` mode).

import BigNum
import Dispatch
import Foundation
import Paillier

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.count == 4, arguments[0] == "count", let countBits = Int(arguments[2]), let n = Int(arguments[3]) {
  let half = countBits / 2
  let p = ((BigInteger(3) << (half - 2)) + 0x1234_5678_9abc_def1).nextPrime()
  let q = ((BigInteger(3) << (half - 2)) + (BigInteger(1) << (half - 40)) + 0x0fed_cba9_8765_4321).nextPrime()
  let key = try Paillier.PrivateKey(p: p, q: q)
  let m = try BigInteger.random(below: key.publicKey.maxInt)
  if arguments[1] == "encrypt" {
    _ = try key.publicKey.encrypt(0)
    for _ in 0..<n { _ = try key.publicKey.encrypt(m) }
  } else {
    let c = try key.publicKey.encrypt(m)
    for _ in 0..<n { _ = try key.decryptRaw(c) }
  }
  print("\(arguments[1]) \(countBits) x\(n) done")
  exit(0)
}

let bits = Int(arguments.first ?? "3072") ?? 3072
let key = try Paillier.PrivateKey.generate(bits: bits)
let publicKey = key.publicKey
_ = try publicKey.encrypt(0)  // builds the DJN table
let values = (0..<64).map { BigInteger($0 * 1000) }
let ciphertexts = try publicKey.encrypt(batch: values)

func bestTime(_ body: () throws -> Void) rethrows -> Double {
  var best = Double.infinity
  for _ in 0..<5 {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
  }
  return best
}

func schedulerTotals() -> (onCPU: Double, waiting: Double) {
  var onCPU = 0.0
  var waiting = 0.0
  let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
  for task in tasks {
    guard let text = try? String(contentsOfFile: "/proc/self/task/\(task)/schedstat", encoding: .utf8) else { continue }
    let fields = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    if fields.count >= 2 {
      onCPU += fields[0] / 1e6
      waiting += fields[1] / 1e6
    }
  }
  return (onCPU, waiting)
}

let cores = ProcessInfo.processInfo.activeProcessorCount
print("Paillier batches of 64 at \(bits) bits, \(cores) cores, best of 5 (ms)")
for (name, serial, parallel) in [
  (
    "encrypt (djn)", { () throws -> Void in for value in values { _ = try publicKey.encrypt(value) } },
    { () throws -> Void in _ = try publicKey.encrypt(batch: values) }
  ),
  (
    "decrypt (CRT)", { () throws -> Void in for ciphertext in ciphertexts { _ = try key.decrypt(ciphertext) } },
    { () throws -> Void in _ = try key.decrypt(batch: ciphertexts) }
  ),
] {
  let one = try bestTime(serial)
  let all = try bestTime(parallel)
  let before = schedulerTotals()
  let start = DispatchTime.now().uptimeNanoseconds
  try parallel()
  let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
  let after = schedulerTotals()
  let onCPU = after.onCPU - before.onCPU
  let waiting = after.waiting - before.waiting
  print(
    String(
      format: "%@: 1 core %.1f, all cores %.1f, speedup %.2f; scheduler: on-CPU %.0f, waiting %.0f, (on-CPU + waiting) / wall %.2f",
      name, one, all, one / all, onCPU, waiting, (onCPU + waiting) / wall))
}
