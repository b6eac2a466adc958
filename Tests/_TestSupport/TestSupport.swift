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
