// BFV's operations at the presets N = 4096 and 8192 in thread CPU time, so
// that other processes on the machine inflate the figures less than the wall
// clock of the benchmark suite: `swift run -c release --package-path Benchmarks
// BFVProbe [rounds] [filter]` (add `-Xswiftc -target-cpu -Xswiftc native` and
// a scratch path of its own for the native build). Prints, per operation, the
// minimum and the median over rounds of the CPU time of one call. With
// `HEKIT_PROBE_ONLY=name` and rounds = K it runs only that operation K times
// (for instruction counts under `valgrind --tool=callgrind`).

import BFV
import BenchmarkSupport
import Foundation

func threadSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

@inline(never) func keep<T>(_ value: T) { withExtendedLifetime(value) {} }

applyKernelChoiceFromEnvironment()
let arguments = Array(CommandLine.arguments.dropFirst())
let rounds = arguments.first.flatMap { Int($0) } ?? 30
let filter = arguments.dropFirst().first
let only = ProcessInfo.processInfo.environment["HEKIT_PROBE_ONLY"]

for preset in [BFV.Preset.n4096, .n8192] {
  let parameters = try BFV.Parameters(preset: preset)
  let suffix = "N=\(parameters.degree) logq=\(parameters.logQ)"
  if let filter, !suffix.contains(filter) { continue }
  let secretKey = BFV.SecretKey(parameters: parameters)
  let publicKey = secretKey.publicKey()
  let relinearizationKey = secretKey.relinearizationKey()
  let galoisKeys = secretKey.galoisKeys(steps: [1])
  let encoder = BFV.Encoder(parameters: parameters)
  let t = parameters.plaintextModulus
  let values = (0..<parameters.degree).map { UInt64($0) * 7919 % t }
  let plaintext = try encoder.encode(values)
  let x = try publicKey.encrypt(plaintext)
  let y = try publicKey.encrypt(plaintext)
  let product = try x.multiplied(by: y)
  let prepared = plaintext.preparedForMultiplication()
  let operations: [(String, () throws -> Void)] = [
    ("multiply+relinearize", { keep(try x.multiplied(by: y, relinearizingWith: relinearizationKey)) }),
    ("square+relinearize", { keep(try x.multiplied(by: x, relinearizingWith: relinearizationKey)) }),
    ("multiply", { keep(try x.multiplied(by: y)) }),
    ("relinearize", {
      var z = product
      try z.relinearize(using: relinearizationKey)
      keep(z)
    }),
    ("rotate rows by 1", { keep(try x.rotatedRows(by: 1, using: galoisKeys)) }),
    ("encrypt public-key", { keep(try publicKey.encrypt(plaintext)) }),
    ("encrypt secret-key seeded", { keep(try secretKey.encrypt(plaintext)) }),
    ("decrypt", { keep(try secretKey.decrypt(x)) }),
    ("multiply plaintext prepared", { keep(try x * prepared) }),
    ("add", { keep(try x + y) }),
  ]
  if let only {
    for (name, body) in operations where name == only {
      for _ in 0..<rounds { try body() }
    }
    continue
  }
  print("\(suffix), \(rounds) rounds, thread CPU time per call (μs): min / median")
  for (name, body) in operations {
    var times: [Double] = []
    try body()
    for _ in 0..<rounds {
      let start = threadSeconds()
      try body()
      times.append(threadSeconds() - start)
    }
    times.sort()
    print("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %9.1f / %9.1f", times[0] * 1e6, times[times.count / 2] * 1e6))
  }
}
