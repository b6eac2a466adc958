// Paillier key files: python-paillier's public and private JWK.

import Foundation
import FuzzSupport
import HEKit

runFuzzer { data, size in
  let input = Data(bytes(data, size))
  expectTyped(PaillierError.self) { _ = try Paillier.PublicKey(insecureJWK: input) }
  expectTyped(PaillierError.self) { _ = try Paillier.PrivateKey(insecureJWK: input) }
  return 0
}
