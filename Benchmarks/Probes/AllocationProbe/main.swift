import BigNum
import Glibc
// Counts heap allocations per BigNum operation, split into GMP's own and the
// rest (Swift's), when run with LD_PRELOAD of tools/mcount.c's library:
// `make bench-allocs` from the repository root.
typealias Reader = @convention(c) (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) -> Void
let handle = dlopen(nil, RTLD_NOW)
guard let symbol = dlsym(handle, "mcount_read") else { print("run with LD_PRELOAD=libmcount.so"); exit(1) }
let read = unsafeBitCast(symbol, to: Reader.self)
func count(_ label: String, _ body: () throws -> Void) rethrows {
  var g0 = 0, o0 = 0, g1 = 0, o1 = 0
  read(&g0, &o0)
  let rounds = 100
  for _ in 0..<rounds { try body() }
  read(&g1, &o1)
  print("\(label): GMP \(Double(g1 - g0) / Double(rounds)), other \(Double(o1 - o0) / Double(rounds)) per operation")
}
var g = SecureRandom()
for bits in [2048, 4096] {
  let m = (BigInteger(1) << (bits - 1)) + (try BigInteger.random(bitWidth: bits - 2, using: &g)) * 2 + 1
  let b = try BigInteger.random(below: m, using: &g)
  let e = (BigInteger(1) << (bits - 1)) + (try BigInteger.random(bitWidth: bits - 1, using: &g))
  let n2 = m.squared()
  var x = b + 1
  var sink = BigInteger()
  try count("power \(bits)") { sink = try b.power(e, modulus: m) }
  try count("power in place \(bits)") { try x.formPower(e, modulus: m) }
  try count("constant-time power \(bits)") { sink = try b.constantTimePower(e, modulus: m) }
  try count("product mod n^2 \(bits)") { sink = try (b * x).modulo(n2) }
  count("inverse \(bits)") { sink = b.inverse(modulo: m) ?? 0 }
  print(sink.bitWidth > 0 ? "" : "-", terminator: "")
}
