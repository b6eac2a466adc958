// CSV input (RFC 4180 with a header line), as `hekit encrypt` and `train` read it.
//
// Each input is parsed once, with or without a target column (by the parity
// of its length, so the committed CSV seeds stay plain CSV). Parsing is
// allocation-bound (a String per field, Foundation's trimming per cell), and
// under AddressSanitizer every allocation records its stack: one parse per
// input instead of two doubles the rate without losing a path.

import FuzzSupport
import HEKit

runFuzzer { data, size in
  let input = bytes(data, size)
  expectTyped(TabularError.self) {
    _ = input.count % 2 == 0 ? try Dataset(csv: input) : try Dataset(csv: input, target: "target")
  }
  return 0
}
