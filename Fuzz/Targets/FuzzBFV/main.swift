// BFV's binary readers: ciphertexts (seeded or not), plaintexts, public,
// relinearisation, Galois and secret keys. The first byte picks the reader.
// The parameters are a tiny insecure set (N = 16, three 40-bit primes, the
// known-answer tests' set) so that whole keys fit in a few kilobytes and the
// fuzzer reaches their insides; the readers' code does not depend on N.

import FuzzSupport
import HEKit

nonisolated(unsafe) let parameters: BFV.Parameters = {
  guard let primes = try? Modulus.nttFriendlyPrimes(bitWidths: [40, 40, 40], degree: 16).map(\.value),
    let p = try? BFV.Parameters(insecureDegree: 16, coefficientModuli: primes, plaintextModulus: 257)
  else { fatalError("parameters") }
  return p
}()

runFuzzer(seeds: {
  let secretKey = BFV.SecretKey(parameters: parameters)
  let publicKey = secretKey.publicKey()
  let plaintext = try BFV.Encoder(parameters: parameters).encode([1, 2, 3] as [UInt64])
  return [
    ("ciphertext", [0] + (try publicKey.encrypt(plaintext)).serialized()),
    ("seeded-ciphertext", [0] + (try secretKey.encrypt(plaintext)).serialized()),
    ("plaintext", [1] + plaintext.serialized()),
    ("public-key", [2] + publicKey.serialized()),
    ("relinearization-key", [3] + secretKey.relinearizationKey().serialized()),
    ("galois-keys", [4] + secretKey.galoisKeys(steps: [1]).serialized()),
    ("secret-key", [5] + secretKey.serialized()),
  ]
}) { data, size in
  let input = bytes(data, size)
  guard let selector = input.first else { return 0 }
  let body = Array(input.dropFirst())
  expectTyped(BFVError.self) {
    switch selector % 6 {
    case 0: _ = try BFV.Ciphertext(deserializing: body, parameters: parameters)
    case 1: _ = try BFV.Plaintext(deserializing: body, parameters: parameters)
    case 2: _ = try BFV.PublicKey(deserializing: body, parameters: parameters)
    case 3: _ = try BFV.RelinearizationKey(deserializing: body, parameters: parameters)
    case 4: _ = try BFV.GaloisKeys(deserializing: body, parameters: parameters)
    default: _ = try BFV.SecretKey(deserializing: body, parameters: parameters)
    }
  }
  return 0
}
