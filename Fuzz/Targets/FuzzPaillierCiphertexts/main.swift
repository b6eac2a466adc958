// Paillier ciphertexts under a fixed key: pheutil's JSON, batch-file headers
// and record lines; whatever parses is decrypted too. The first byte picks
// the reader.

import Foundation
import FuzzSupport
import HEKit

nonisolated(unsafe) let key: Paillier.PrivateKey = {
  guard let key = try? Paillier.PrivateKey.insecureGenerate(bits: 512) else { fatalError("key generation failed") }
  return key
}()

runFuzzer(seeds: {
  let pk = key.publicKey
  let a = try pk.encrypt(12345)
  let b = try pk.encrypt(-2.5)
  return [
    ("json-int", [0] + Array(a.jsonString.utf8)),
    ("json-real", [0] + Array(b.jsonString.utf8)),
    ("header", [1] + Array(Paillier.Batch.header(for: pk, .init(columns: ["x", "y"], annotations: ["k": "v"])).utf8)),
    ("record", [2] + Array(Paillier.Batch.record([a, b]).utf8)),
  ]
}) { data, size in
  let input = bytes(data, size)
  guard let selector = input.first else { return 0 }
  let body = Array(input.dropFirst())
  let text = String(decoding: body, as: UTF8.self)
  switch selector % 3 {
  case 0:
    expectTyped(PaillierError.self) { _ = try? key.decrypt(try Paillier.Ciphertext(json: body, publicKey: key.publicKey)) }
  case 1:
    expectTyped(PaillierError.self) { _ = try Paillier.Batch.validateHeader(text, for: key.publicKey) }
  default:
    expectTyped(PaillierError.self) {
      for c in try Paillier.Batch.parseRecord(text, publicKey: key.publicKey) { _ = try? key.decrypt(c) }
    }
  }
  return 0
}
