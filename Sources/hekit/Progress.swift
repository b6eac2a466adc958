import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How far a reader has got through its input: bytes consumed so far and,
/// for a regular file, its size (`nil` for stdin or a pipe).
protocol InputPosition: AnyObject {
  var bytesRead: Int64 { get }
  var totalBytes: Int64? { get }
}

/// A one-line progress display on standard error for work over a file:
/// records done, share of the input read, rate and time left, redrawn at
/// most ten times a second and cleared when the work ends, leaving a
/// one-line summary.
///
/// Shown only when standard error is a terminal, so pipes, files and
/// scripts see nothing of it. `HEKIT_PROGRESS=always` shows it anyway (for
/// tests, or a terminal multiplexer that hides the TTY), `never` hides it.
final class ProgressLine {
  private let verb: String
  private let unit: String
  private let input: InputPosition?
  private let start = ContinuousClock.now
  private var lastDraw: ContinuousClock.Instant?
  private var done = 0
  private let enabled: Bool

  init(_ verb: String, unit: String = "records", input: InputPosition?) {
    self.verb = verb
    self.unit = unit
    self.input = input
    enabled = Self.isEnabled()
  }

  /// Whether progress goes to standard error in this process.
  static func isEnabled(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    switch environment["HEKIT_PROGRESS"] {
    case "always": return true
    case "never": return false
    default: return isatty(STDERR_FILENO) == 1
    }
  }

  /// Counts `count` more items done and redraws when the last drawing is
  /// older than a tenth of a second.
  func advance(by count: Int) {
    done += count
    guard enabled else { return }
    let now = ContinuousClock.now
    if let lastDraw, now - lastDraw < .milliseconds(100) { return }
    lastDraw = now
    draw("\r" + line(elapsed: seconds(now - start)) + "\u{1B}[K")
  }

  /// Replaces the progress line with a summary of the whole run.
  func finish() {
    guard enabled else { return }
    let elapsed = seconds(ContinuousClock.now - start)
    let rate = elapsed > 0 ? String(format: ", %@/s", Self.grouped(Int((Double(done) / elapsed).rounded()))) : ""
    draw("\r\u{1B}[K" + "\(verb): \(Self.grouped(done)) \(unit) in \(String(format: "%.1f", elapsed)) s\(rate)\n")
  }

  /// The text of the progress line after `elapsed` seconds.
  func line(elapsed: Double) -> String {
    let fraction = input.flatMap { input in
      input.totalBytes.flatMap { $0 > 0 ? min(1, Double(input.bytesRead) / Double($0)) : nil }
    }
    return Self.render(verb: verb, done: done, unit: unit, fraction: fraction, elapsed: elapsed)
  }

  /// A progress line: `encrypt [#######-------------]  35%  12,288 records  2,301/s  0:09 left`;
  /// without a known total (stdin), the bar and the time left are omitted.
  static func render(verb: String, done: Int, unit: String, fraction: Double?, elapsed: Double) -> String {
    var parts = [verb]
    if let fraction {
      let width = 20
      let filled = Int((fraction * Double(width)).rounded(.down))
      parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]")
      parts.append(String(format: "%3d%%", Int((fraction * 100).rounded(.down))))
    }
    parts.append("\(grouped(done)) \(unit)")
    if elapsed > 0 && done > 0 {
      parts.append("\(grouped(Int((Double(done) / elapsed).rounded())))/s")
      if let fraction, fraction > 0, fraction < 1 {
        let left = Int((elapsed * (1 - fraction) / fraction).rounded())
        parts.append(String(format: "%d:%02d left", left / 60, left % 60))
      }
    }
    return parts.joined(separator: "  ")
  }

  /// 1234567 as "1,234,567".
  static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return value < 0 ? "-" + out : out
  }

  private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  private func draw(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
