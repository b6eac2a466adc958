// CSV input (RFC 4180 with a header line), as `hekit encrypt` and `train` read it.

import FuzzSupport
import HEKit

runFuzzer { data, size in
  let input = bytes(data, size)
  expectTyped(EncryptedMLError.self) { _ = try Dataset(csv: input) }
  expectTyped(EncryptedMLError.self) { _ = try Dataset(csv: input, target: "target") }
  return 0
}
