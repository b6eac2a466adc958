// Model JSON (hekit train's and scikit-learn's export); what parses is folded and evaluated.

import Foundation
import FuzzSupport
import HEKit

runFuzzer { data, size in
  expectTyped(TabularError.self) {
    let model = try LinearModel(json: Data(bytes(data, size)))
    _ = model.folded().linearScore(Array(repeating: 1, count: model.features.count))
  }
  return 0
}
