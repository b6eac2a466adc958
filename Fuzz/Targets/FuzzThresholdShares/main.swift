// Threshold Paillier: key shares, partial decryptions and threshold public
// keys as JSON. The first byte picks the reader; a partial decryption that
// parses is also verified against a fixed ciphertext (its proof checked).

import Foundation
import FuzzSupport
import HEKit

/// A 2-of-3 key of 256 bits, dealt once per process (safe primes of 128 bits).
let dealt = {
  guard let dealt = try? Paillier.ThresholdPublicKey.insecureDeal(threshold: 2, parties: 3, bits: 256) else {
    fatalError("dealing failed")
  }
  return dealt
}()
let ciphertext = {
  guard let c = try? dealt.publicKey.publicKey.encrypt(12345) else { fatalError("encryption failed") }
  return c
}()

runFuzzer(seeds: {
  let partial = try dealt.shares[1].partialDecrypt(ciphertext)
  return [
    ("share", [0] + Array(dealt.shares[0].jsonString().utf8)),
    ("partial", [1] + Array(partial.jsonString.utf8)),
    ("public-key", [2] + Array(dealt.publicKey.jsonString().utf8)),
  ]
}) { data, size in
  let input = bytes(data, size)
  guard let selector = input.first else { return 0 }
  let body = Array(input.dropFirst())
  switch selector % 3 {
  case 0:
    expectTyped(PaillierError.self) { _ = try Paillier.ThresholdKeyShare(insecureJSON: body) }
  case 1:
    expectTyped(PaillierError.self) {
      let partial = try Paillier.PartialDecryption(json: body, thresholdKey: dealt.publicKey)
      try dealt.publicKey.verify(partial, for: ciphertext)
    }
  default:
    expectTyped(PaillierError.self) { _ = try Paillier.ThresholdPublicKey(insecureJSON: body) }
  }
  return 0
}
