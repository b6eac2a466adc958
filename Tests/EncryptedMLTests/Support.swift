import Foundation

/// The repository root, found from this source file.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

func bundledData(_ name: String) -> URL { repositoryRoot.appendingPathComponent("Data").appendingPathComponent(name) }

func vector(_ path: String) throws -> Data {
  try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Vectors").appendingPathComponent(path))
}
