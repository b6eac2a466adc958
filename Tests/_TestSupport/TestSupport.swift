import Foundation

// What the library test targets share: where the repository's bundled data
// and known-answer vectors are. A target of its own, not a product.

/// The repository root, found from this source file.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// A file of the bundled data (Data/).
public func bundledData(_ name: String) -> URL {
  repositoryRoot.appendingPathComponent("Data").appendingPathComponent(name)
}

/// The bytes of a known-answer vector (Tests/Vectors/).
public func vector(_ path: String) throws -> Data {
  try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Vectors").appendingPathComponent(path))
}

/// A reader over `text`'s lines (without newlines; a final empty line after
/// the last newline is not one), as the command line hands them to HEKit's
/// file readers.
public func lineSource(_ text: String) -> () throws -> String? {
  var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  if lines.last == "" { lines.removeLast() }
  var index = 0
  return {
    defer { index += 1 }
    return index < lines.count ? lines[index] : nil
  }
}

/// SplitMix64: a small deterministic generator, so that statistical and
/// property tests see the same draws on every run (tests only; the library
/// draws from the operating system's CSPRNG).
public struct SplitMix64: RandomNumberGenerator {
  public var state: UInt64
  public init(state: UInt64) { self.state = state }
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
