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
