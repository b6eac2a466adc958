import ArgumentParser
import Foundation

/// A value of a report for people (`text`) and for scripts (`json`): what
/// `hekit inspect` finds and what `--json` prints after a command.
indirect enum ReportValue {
  case string(String), int(Int), double(Double), bool(Bool), strings([String]), ints([Int]), uints([UInt64])
  case null
  case array([ReportValue])
  case object([(String, ReportValue)])
  /// Text for people, `value` for `--json`.
  case described(String, ReportValue)

  var text: String {
    switch self {
    case .string(let s): s
    case .int(let i): String(i)
    case .double(let d): String(d)
    case .bool(let b): b ? "yes" : "no"
    case .strings(let list):
      list.count > 6 ? "\(list.count): " + list.prefix(5).joined(separator: ", ") + ", …" : list.joined(separator: ", ")
    case .ints(let list): list.map(String.init).joined(separator: ", ")
    case .uints(let list): list.map(String.init).joined(separator: ", ")
    case .null: ""
    case .array(let list): list.map(\.text).joined(separator: ", ")
    case .object(let fields): fields.map { "\($0.0) \($0.1.text)" }.joined(separator: ", ")
    case .described(let text, _): text
    }
  }

  /// A field name as every JSON object hekit prints spells it: camelCase
  /// (`log-q` as `logQ`), as in its file headers and `inspect`.
  static func camelCase(_ name: String) -> String {
    let parts = name.split(separator: "-")
    guard let first = parts.first else { return name }
    return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }

  var json: String {
    func quote(_ s: String) -> String {
      let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
      return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
    switch self {
    case .string(let s): return quote(s)
    case .int(let i): return String(i)
    case .double(let d): return d.isFinite ? String(d) : "null"
    case .bool(let b): return b ? "true" : "false"
    case .strings(let list): return "[" + list.map(quote).joined(separator: ", ") + "]"
    case .ints(let list): return "[" + list.map(String.init).joined(separator: ", ") + "]"
    case .uints(let list): return "[" + list.map(String.init).joined(separator: ", ") + "]"
    case .null: return "null"
    case .array(let list): return "[" + list.map(\.json).joined(separator: ", ") + "]"
    case .object(let fields):
      return "{" + fields.map { quote(Self.camelCase($0.0)) + ": " + $0.1.json }.joined(separator: ", ") + "}"
    case .described(_, let value): return value.json
    }
  }
}

/// `--json`: what a command did, printed as one JSON object on standard output
/// (`{"command": "encrypt", "records": 569, ...}`); without `--json` the
/// optional line for people goes to standard error, as before.
struct CommandSummary {
  var fields: [(String, ReportValue)]

  init(_ command: String, _ fields: [(String, ReportValue?)] = []) {
    self.fields = [("command", .string(command))]
    for (name, value) in fields { add(name, value) }
  }

  mutating func add(_ name: String, _ value: ReportValue?) {
    if let value { fields.append((name, value)) }
  }

  var json: String { ReportValue.object(fields).json }

  /// Prints the JSON object when `json`, else `text` (if any) on standard error.
  func emit(json: Bool, text: String? = nil) {
    if json {
      print(self.json)
    } else if let text {
      FileHandle.standardError.write(Data((text + "\n").utf8))
    }
  }

  /// The refusal (a usage error, exit 64) when `--json` and the command's
  /// data would share standard output.
  static func checkOutput(json: Bool, output: String?) throws {
    if json && (output == nil || output == "-") {
      throw ValidationError("--json prints a summary on standard output: write the data to a file with --output FILE")
    }
  }
}

/// Seconds from `start` to now.
func seconds(since start: ContinuousClock.Instant) -> Double {
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// The size of a regular file in bytes, `nil` for anything else.
func fileSize(_ path: String) -> Int? {
  guard path != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: path),
    attributes[.type] as? FileAttributeType == .typeRegular
  else { return nil }
  return (attributes[.size] as? NSNumber)?.intValue
}
