import ArgumentParser
import Foundation
import HEKit

/// `hekit inspect`: what a HEKit file is, without printing any secret.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Describe a HEKit file: kind, scheme, parameters, key identity, counts, size.",
    discussion: """
      Recognises Paillier public and private keys (python-paillier JWK), pheutil \
      ciphertexts, Paillier batch files (records or scores), BFV key files, BFV \
      batch files (records or scores) and model JSON. Reads the whole file and \
      checks its structure (every batch line is decoded and every BFV key and \
      ciphertext read under its parameters); secret values are never printed. \
      The key identity is the first 16 bytes of SHA-256 over the public key \
      (Paillier: n big-endian; BFV: the serialized public keys), so files that \
      belong together show the same identity. Unknown or garbled files fail \
      with a message and exit status 1.
      """
  )

  @Argument(help: "The file to describe (- for stdin).")
  var file: String

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() throws {
    let report = try InspectReport(file)
    print(json ? report.json() : report.text(file: file), terminator: "")
  }
}

/// What `hekit inspect` prints: the library's ``Inspection`` of the file, then its size.
struct InspectReport {
  let inspection: Inspection
  let size: Int

  /// Opens `path` and inspects it (the library reads and checks it).
  init(_ path: String) throws {
    let reader = try LineReader(path: path)
    var counted = 0  // bytes of the lines read, each with its newline
    inspection = try Inspection(
      lines: {
        let line = try reader.next()
        if let line { counted += line.utf8.count + 1 }
        return line
      }, file: path, lineLimit: { reader.maximumLineBytes = $0 })
    size = Int(reader.totalBytes ?? max(reader.bytesRead, Int64(counted)))  // a regular file's own size, else what was read
  }

  var fields: [(String, ReportValue)] {
    inspection.fields.map { ($0.name, ReportValue($0.value)) } + [("size", .int(size))]
  }

  func text(file: String) -> String {
    func line(_ name: String, _ text: String) -> String { "  " + name.padding(toLength: 14, withPad: " ", startingAt: 0) + text }
    var lines = ["\(file): \(inspection.summary)"]
    if let scheme = inspection.scheme { lines.append(line("scheme", scheme.rawValue)) }
    lines += fields.map { line($0.0, $0.1.text) }
    return lines.joined(separator: "\n") + "\n"
  }

  func json() -> String {
    var all: [(String, ReportValue)] = [("type", .string(inspection.kind.rawValue)), ("kind", .string(inspection.summary))]
    if let scheme = inspection.scheme { all.append(("scheme", .string(scheme.rawValue))) }
    return ReportValue.object(all + fields).json + "\n"
  }
}

extension ReportValue {
  init(_ value: Inspection.Value) {
    switch value {
    case .string(let s): self = .string(s)
    case .int(let i): self = .int(i)
    case .double(let d): self = .double(d)
    case .bool(let b): self = .bool(b)
    case .strings(let list): self = .strings(list)
    case .ints(let list): self = .ints(list)
    case .uints(let list): self = .uints(list)
    case .object(let fields): self = .object(fields.map { ($0.name, ReportValue($0.value)) })
    case .described(let text, let value): self = .described(text, ReportValue(value))
    }
  }
}

enum Inspector {
  /// The key identity of a Paillier key (``Inspection/paillierIdentity(_:)``), as `keygen --json` prints it.
  static func paillierIdentity(_ n: BigInteger) -> String { Inspection.paillierIdentity(n) }
}
