import ArgumentParser
import Foundation
import HEKit

/// `hekit train`: fit a plaintext model to serve encrypted scoring.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a linear or logistic-regression model on a CSV file (in plaintext).",
    discussion: """
      Standardises the features, fits L2-regularised logistic regression (Newton/IRLS) \
      or ridge least squares, and writes the model JSON that `hekit score` reads. \
      With --test-every K, every K-th row is held out and the test metrics printed.
      """
  )

  @Option(help: "Model kind: logistic or linear.")
  var kind: LinearModel.Kind = .logistic

  @Option(help: "The training data: a CSV file with a header line.")
  var input: String

  @Option(help: "The column holding the target (0/1 for logistic).")
  var target: String

  @Option(help: "Feature columns, comma-separated (default: every column but the target).")
  var features: String?

  @Option(help: "L2 regularisation strength (1 matches scikit-learn's defaults).")
  var l2: Double = 1

  @Option(help: "Hold out every K-th row (starting with the first) and report test metrics.")
  var testEvery: Int?

  @Option(help: "Where to write the model JSON.")
  var output: String

  @Flag(help: "Print one JSON object (rows, features, accuracy or R² and RMSE per part) instead of text.")
  var json = false

  @OptionGroup var replacing: ForceOption

  func validate() throws {
    if let testEvery, testEvery < 2 { throw ValidationError("--test-every must be at least 2") }
    guard l2 >= 0, l2.isFinite else { throw ValidationError("--l2 must be a finite number ≥ 0") }
  }

  func run() throws {
    let columns = features.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    let data = try readDataset(input, features: columns, target: target)
    let (train, test) = testEvery.map { data.split(testEvery: $0) } ?? (data, nil)
    let model = try LinearModel.train(kind, on: train, l2: l2)
    let file = try OutputFile(path: output, force: replacing.force, inputs: [input])
    try file.write(String(decoding: try model.jsonData(), as: UTF8.self) + "\n")
    try file.commit()
    var summary = CommandSummary("train", [
      ("kind", .string(kind.rawValue)), ("input", .string(input)), ("output", .string(output)),
      ("rows", .int(train.count)), ("features", .strings(train.featureNames)),
    ])
    var lines = ["trained a \(kind.rawValue) model on \(train.count) rows × \(train.featureNames.count) features -> \(output)"]
    for (name, part) in [("train", train), ("test", test)] {
      guard let part else { continue }
      let evaluation = try Evaluation(model: model, data: part)
      if kind == .logistic {
        summary.add(name, .object([("rows", .int(part.count)), ("accuracy", .double(evaluation.accuracy))]))
        lines.append("  \(name) accuracy \(String(format: "%.4f", evaluation.accuracy)) on \(part.count) rows")
      } else {
        summary.add(name, .object([
          ("rows", .int(part.count)), ("r2", .double(evaluation.rSquared)), ("rmse", .double(evaluation.rootMeanSquareError)),
        ]))
        lines.append("  \(name) R² \(String(format: "%.4f", evaluation.rSquared)), RMSE \(String(format: "%.4g", evaluation.rootMeanSquareError)) on \(part.count) rows")
      }
    }
    print(json ? summary.json : lines.joined(separator: "\n"))
  }
}

extension LinearModel.Kind: ExpressibleByArgument {}
