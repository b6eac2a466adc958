import Foundation
import HEKit

extension TuningProfile {
  /// What ``applyFromEnvironment(_:)`` applied.
  struct Applied: Sendable, Equatable {
    /// The profile file read, if any.
    var path: String?
    /// The profile read, if any.
    var profile: TuningProfile?
    /// Threads for batch work now in force (`nil`: every core).
    var threads: Int?
    /// The DJN window now in force.
    var paillierDJNWindowBits: Int
    /// Which settings came from environment variables.
    var overrides: [String]
  }

  /// The profile's usual place: `$XDG_CONFIG_HOME/hekit/tuning.json`, or
  /// `~/.config/hekit/tuning.json` when `XDG_CONFIG_HOME` is not set.
  static func standardURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    let base: URL
    if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
      base = URL(fileURLWithPath: config, isDirectory: true)
    } else {
      let home = environment["HOME"] ?? NSHomeDirectory()
      base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".config", isDirectory: true)
    }
    return base.appendingPathComponent("hekit", isDirectory: true).appendingPathComponent("tuning.json")
  }

  /// The profile file a run uses: `$HEKIT_TUNING` when it names a file, else
  /// ``standardURL(environment:)``; `nil` when `HEKIT_TUNING` is `off`.
  static func activeURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
    switch environment["HEKIT_TUNING"] {
    case "off", "none", "0": return nil
    case let path? where !path.isEmpty: return URL(fileURLWithPath: path)
    default: return standardURL(environment: environment)
    }
  }

  /// Reads the profile a run should use and the environment's overrides,
  /// checks them, then applies them (see ``apply()``).
  ///
  /// - `HEKIT_TUNING`: `off` skips the profile; a path names it (which must
  ///   then exist); unset, the standard place is read when a file is there.
  /// - `HEKIT_THREADS`: threads for batch work (1 or more; `all` for every core).
  /// - `HEKIT_PAILLIER_WINDOW`: the DJN window in bits (4 to 14).
  ///
  /// Nothing is applied unless everything checks.
  ///
  /// - Throws: ``TuningError`` naming the file or variable at fault.
  @discardableResult
  static func applyFromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(TuningError) -> Applied {
    var profile: TuningProfile?
    var path: String?
    if let url = activeURL(environment: environment) {
      let named = environment["HEKIT_TUNING"].map { !$0.isEmpty } ?? false
      if named || FileManager.default.fileExists(atPath: url.path) {
        profile = try load(from: url)
        path = url.path
      }
    }
    var threads = profile?.threads
    var window = profile?.paillierDJNWindowBits ?? Paillier.Tuning.defaultDJNWindowBits
    var overrides: [String] = []
    if let text = environment["HEKIT_THREADS"], !text.isEmpty {
      if text == "all" {
        threads = nil
      } else {
        guard let value = Int(text), value >= 1 else {
          throw .invalidVariable(name: "HEKIT_THREADS", value: text, expected: "a whole number of threads, 1 or more, or 'all'")
        }
        threads = value
      }
      overrides.append("HEKIT_THREADS")
    }
    if let text = environment["HEKIT_PAILLIER_WINDOW"], !text.isEmpty {
      let range = Paillier.Tuning.djnWindowBitsRange
      guard let value = Int(text), range.contains(value) else {
        throw .invalidVariable(
          name: "HEKIT_PAILLIER_WINDOW", value: text, expected: "a window of \(range.lowerBound) to \(range.upperBound) bits")
      }
      window = value
      overrides.append("HEKIT_PAILLIER_WINDOW")
    }
    Parallelism.threadLimit = threads
    Paillier.Tuning.djnWindowBits = window
    return Applied(path: path, profile: profile, threads: threads, paillierDJNWindowBits: window, overrides: overrides)
  }
}

/// Everything that can go wrong reading a tuning profile or the environment
/// variables that override it.
enum TuningError: Error, Equatable, Sendable {
  /// The profile file could not be read.
  case unreadable(path: String, reason: String)
  /// The file is not a valid profile (the reason names the field).
  case invalidProfile(path: String, reason: String)
  /// An environment variable holds a value outside its domain.
  case invalidVariable(name: String, value: String, expected: String)
}

extension TuningError: CustomStringConvertible, LocalizedError {
  var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read the tuning profile \(path): \(reason) (run `hekit bench --tune` to write one, or set HEKIT_TUNING=off)"
    case .invalidProfile(let path, let reason):
      let file = path.isEmpty ? "the tuning profile" : "the tuning profile \(path)"
      return "\(file) is invalid: \(reason) (rewrite it with `hekit bench --tune`, or set HEKIT_TUNING=off)"
    case .invalidVariable(let name, let value, let expected):
      return "\(name)='\(value)' is invalid: expected \(expected)"
    }
  }
  var errorDescription: String? { description }
}
