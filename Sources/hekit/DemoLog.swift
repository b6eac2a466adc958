import Foundation
import HEKit

/// What `hekit demo` reports for one scheme: lines for people as the stages
/// finish, or, with `--json`, the same figures gathered into one object.
final class DemoLog {
  let json: Bool
  private var fields: [(String, ReportValue)] = []
  private var stages: [ReportValue] = []

  init(json: Bool) { self.json = json }

  /// Prints a line for people (nothing under `--json`).
  func say(_ text: String) {
    if !json { print(text) }
  }

  /// Records a figure for `--json`.
  func set(_ name: String, _ value: ReportValue) { fields.append((name, value)) }

  /// Runs and times one stage; prints its line, or records it.
  @discardableResult
  func stage(_ name: String, _ detail: @autoclosure () -> String = "", _ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = seconds(since: start)
    let text = name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%8.3f s", elapsed)
    let detail = detail()
    say(detail.isEmpty ? text : "\(text)   \(detail)")
    stages.append(.object([("stage", .string(name)), ("seconds", .double(elapsed))] + (detail.isEmpty ? [] : [("detail", .string(detail))])))
    return elapsed
  }

  /// Everything recorded, stages last.
  var object: ReportValue { .object(fields + [("stages", .array(stages))]) }
}

/// How the decrypted logits of `hekit demo` compare with the plaintext
/// model (largest error, labels agreeing) and with the true labels (on the
/// rows `Dataset.split(testEvery: 5)` held out of training, and on all).
struct Agreement {
  var maxError = 0.0
  var agree = 0
  var correct = 0
  var heldOut = 0
  var heldOutCorrect = 0
  let count: Int

  init(logits: [Double], model: LinearModel, data: Dataset) {
    count = data.count
    for (i, logit) in logits.enumerated() {
      let plain = model.linearScore(data.features[i])
      maxError = max(maxError, abs(logit - plain))
      let label = model.label(forLogit: logit)
      if label == model.label(forLogit: plain) { agree += 1 }
      let right = Double(label) == data.targets[i]
      if right { correct += 1 }
      if i % 5 == 0 {  // the rows Dataset.split(testEvery: 5) held out of training
        heldOut += 1
        if right { heldOutCorrect += 1 }
      }
    }
  }

  /// Prints (or records) the agreement and accuracy lines; `bound` is the
  /// proven logit error bound when there is one.
  func report(to log: DemoLog, bound: Double?) {
    let n = Double(count)
    let boundText = bound.map { String(format: " (bound %.1e)", $0) } ?? ""
    log.say(String(format: "agreement with the plaintext model: max |logit error| %.1e%@, labels %d/%d (%.1f%%)",
      maxError, boundText, agree, count, 100 * Double(agree) / n))
    let heldOutAccuracy = Double(heldOutCorrect) / Double(max(heldOut, 1))
    log.say(String(format: "accuracy against the true labels: %.2f%% on the %d held-out records, %.2f%% on all %d",
      100 * heldOutAccuracy, heldOut, 100 * Double(correct) / n, count))
    log.set("max-logit-error", .double(maxError))
    if let bound { log.set("logit-error-bound", .double(bound)) }
    log.set("labels-agreeing", .int(agree))
    log.set("records", .int(count))
    log.set("held-out-accuracy", .double(heldOutAccuracy))
    log.set("accuracy", .double(Double(correct) / n))
  }
}
