import Foundation
import Synchronization
import Testing

/// Hostile and broken input through the command line, both schemes: each
/// case must exit with status 1 (not a crash), print a message naming the
/// problem, leave no output (nor a temporary file) and change no input.
/// One workspace serves every case (keys are slow to make in a debug build).
@Suite("hekit on hostile and broken input", .serialized)
struct HostileInputCLITests {
  /// The shared workspace: Paillier keys `k` and `o`, BFV keys `b` and `c`
  /// (the same parameters, different keys), `d.csv` (a, b: two rows), a
  /// linear model over a and b, and `d.csv` encrypted under `k` (`p.enc`)
  /// and under `b` (`b.enc`).
  static let workspace: Result<URL, any Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try "a,b\n1,2\n3,4\n".write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    try #"{"kind": "linear", "features": ["a", "b"], "weights": [0.5, -2], "intercept": 1}"#
      .write(to: dir.appendingPathComponent("m.json"), atomically: true, encoding: .utf8)
    for arguments in [
      ["keygen", "--bits", "2048", "--output", "k"], ["keygen", "--bits", "2048", "--output", "o"],
      ["keygen", "--scheme", "bfv", "--output", "b"], ["keygen", "--scheme", "bfv", "--output", "c"],
      ["encrypt", "--key", "k.pub.json", "--input", "d.csv", "--header", "-o", "p.enc"],
      ["encrypt", "--key", "b.pub", "--input", "d.csv", "--header", "-o", "b.enc"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["setup": "\(arguments): \(result.stderr)"]) }
    }
    return dir
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    /// The command; `OUT` stands for the output file (which must not appear).
    let arguments: [String]
    /// Words the message must hold.
    let message: [String]
    /// Input files the case writes first, from the workspace's files.
    let files: @Sendable (URL) throws -> [String: Data]
    var testDescription: String { name }

    init(_ name: String, _ arguments: [String], _ message: [String], files: @escaping @Sendable (URL) throws -> [String: Data] = { _ in [:] }) {
      self.name = name
      self.arguments = arguments
      self.message = message
      self.files = files
    }
  }

  static func read(_ dir: URL, _ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }
  static func text(_ dir: URL, _ name: String) throws -> String { String(decoding: try read(dir, name), as: UTF8.self) }
  static func lines(_ dir: URL, _ name: String) throws -> [String] { try text(dir, name).split(separator: "\n").map(String.init) }
  static func file(_ name: String, _ text: String) -> [String: Data] { [name: Data(text.utf8)] }

  /// A BFV batch file with `line` (the raw bytes of a batch line: its first 16 bytes, then
  /// what follows the binding, which is taken from `b.enc`) after the header of `b.enc`.
  static func bfvFile(_ dir: URL, _ name: String, frame: [UInt8]) throws -> [String: Data] {
    let lines = try lines(dir, "b.enc")
    let binding = [UInt8](Data(base64Encoded: lines[1])!)[16..<32]
    let bytes = Array(frame.prefix(16)) + binding + frame.dropFirst(16)
    return file(name, lines[0] + "\n" + Data(bytes).base64EncodedString() + "\n")
  }

  /// The header of `b.enc` with one field replaced.
  static func bfvHeader(_ dir: URL, _ name: String, _ field: String, _ value: Any) throws -> [String: Data] {
    let lines = try lines(dir, "b.enc")
    var header = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
    header[field] = value
    let json = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
    return file(name, ([json] + lines.dropFirst()).joined(separator: "\n") + "\n")
  }

  /// Every case of the suite.
  static let cases: [Case] = baseCases + paillierOperationCases

  static let baseCases: [Case] = [
    // Paillier: batch files.
    Case("Paillier batch file cut short", ["decrypt", "--key", "k.key.json", "cut.enc", "-o", "OUT"], ["cut.enc, line 3", "malformed"]) { dir in
      let text = try text(dir, "p.enc")
      return file("cut.enc", String(text.prefix(text.count - 700)))
    },
    Case("Paillier record with a flipped byte", ["decrypt", "--key", "k.key.json", "flip.enc", "-o", "OUT"], ["flip.enc, line 3", "malformed"]) { dir in
      var lines = try lines(dir, "p.enc")
      lines[2] = lines[2].replacingOccurrences(of: "\"v\"", with: "\"w\"")
      return file("flip.enc", lines.joined(separator: "\n") + "\n")
    },
    Case("Paillier header with a flipped key byte", ["decrypt", "--key", "k.key.json", "hflip.enc", "-o", "OUT"], ["hflip.enc was encrypted under a different public key"]) { dir in
      var lines = try lines(dir, "p.enc")
      let at = lines[0].range(of: "\"n\": \"")!.upperBound
      let old = lines[0][at]
      lines[0].replaceSubrange(at...at, with: old == "A" ? "B" : "A")
      return file("hflip.enc", lines.joined(separator: "\n") + "\n")
    },
    Case("Paillier batch file under another key", ["decrypt", "--key", "o.key.json", "p.enc", "-o", "OUT"], ["p.enc was encrypted under a different public key than the one in o.key.json"]),
    Case("Paillier batch file scored under another key", ["score", "--model", "m.json", "--key", "o.pub.json", "--input", "p.enc", "-o", "OUT"], ["p.enc was encrypted under a different public key"]),
    Case("BFV file with a Paillier key", ["decrypt", "--key", "k.key.json", "b.enc", "-o", "OUT"], ["b.enc is a BFV file"]),
    Case("BFV records scored with a Paillier key", ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "b.enc", "-o", "OUT"], ["b.enc is a BFV batch file"]),
    Case("Paillier batch file with a header only", ["decrypt", "--key", "k.key.json", "hop.enc", "-o", "OUT"], ["hop.enc: no record after the header", "truncated"]) { dir in
      file("hop.enc", try lines(dir, "p.enc")[0] + "\n")
    },
    Case("Paillier header only, scored to stdout", ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "hop2.enc"], ["hop2.enc: no record after the header"]) { dir in
      file("hop2.enc", try lines(dir, "p.enc")[0] + "\n")
    },
    Case("file of one 65 MiB line", ["decrypt", "--key", "k.key.json", "line.enc", "-o", "OUT"], ["line.enc, line 1: longer than 67108864 bytes"]) { _ in
      ["line.enc": Data(repeating: UInt8(ascii: "7"), count: 65 << 20)]
    },
    Case("key file of one 65 MiB line", ["decrypt", "--key", "line.enc", "p.enc", "-o", "OUT"], ["line.enc, line 1: longer than"]) { _ in
      ["line.enc": Data(repeating: UInt8(ascii: "7"), count: 65 << 20)]
    },
    Case("model file of 65 MiB", ["score", "--model", "line.enc", "--key", "k.pub.json", "--input", "p.enc", "-o", "OUT"], ["line.enc is larger than 64 MiB"]) { _ in
      ["line.enc": Data(repeating: UInt8(ascii: "7"), count: 65 << 20)]
    },
    Case("empty Paillier ciphertext file", ["decrypt", "--key", "k.key.json", "empty.enc", "-o", "OUT"], ["empty.enc is empty"]) { _ in file("empty.enc", "") },
    Case("ciphertext with an enormous exponent", ["decrypt", "--key", "k.key.json", "exp.json", "-o", "OUT"], ["exp.json: malformed data", "\"e\" must be an integer exponent"]) { _ in
      file("exp.json", #"{"v": "12345", "e": 1e300}"#)
    },
    Case("ciphertext of 20,000 digits", ["decrypt", "--key", "k.key.json", "long.json", "-o", "OUT"], ["long.json: ", "not a valid ciphertext"]) { _ in
      file("long.json", "{\"v\": \"" + String(repeating: "7", count: 20_000) + "\", \"e\": 0}")
    },
    Case("private key file cut short", ["decrypt", "--key", "cut.key.json", "p.enc", "-o", "OUT"], ["cut.key.json: malformed data"]) { dir in
      let text = try text(dir, "k.key.json")
      return file("cut.key.json", String(text.prefix(text.count / 2)))
    },
    // Paillier: CSV input.
    Case("empty CSV", ["encrypt", "--key", "k.pub.json", "--input", "empty.csv", "-o", "OUT"], ["empty input", "empty.csv has no data rows"]) { _ in file("empty.csv", "") },
    Case("CSV with a header only", ["encrypt", "--key", "k.pub.json", "--input", "h.csv", "--header", "-o", "OUT"], ["h.csv has no data rows"]) { _ in file("h.csv", "a,b\n") },
    Case("non-numeric CSV cell", ["encrypt", "--key", "k.pub.json", "--input", "x.csv", "--header", "-o", "OUT"], ["CSV line 3, column 'b'", "'x' is not a number"]) { _ in file("x.csv", "a,b\n1,2\n1,x\n") },
    Case("missing CSV cell", ["encrypt", "--key", "k.pub.json", "--input", "m.csv", "--header", "-o", "OUT"], ["CSV line 2, column 'a'", "empty"]) { _ in file("m.csv", "a,b\n ,2\n") },
    Case("CSV row too short", ["encrypt", "--key", "k.pub.json", "--input", "s.csv", "--header", "-o", "OUT"], ["CSV line 2", "1 cells where the header has 2"]) { _ in file("s.csv", "a,b\n1\n") },
    Case("NaN in CSV", ["encrypt", "--key", "k.pub.json", "--input", "nan.csv", "--header", "-o", "OUT"], ["column 'b'", "NaN"]) { _ in file("nan.csv", "a,b\n1,NaN\n") },
    Case("infinity in CSV", ["encrypt", "--key", "k.pub.json", "--input", "inf.csv", "--header", "-o", "OUT"], ["column 'a'", "infinity"]) { _ in file("inf.csv", "a,b\n-inf,2\n") },
    Case("CSV number beyond a Double", ["encrypt", "--key", "k.pub.json", "--input", "big.csv", "--header", "-o", "OUT"], ["column 'b'", "beyond ±1.8e308"]) { _ in file("big.csv", "a,b\n1,1e400\n") },
    Case("value outside the plaintext window", ["encrypt", "--key", "k.pub.json", "-o", "OUT", "--", "1" + String(repeating: "0", count: 700)], ["plaintext window"]),
    Case("NaN as the value", ["encrypt", "--key", "k.pub.json", "-o", "OUT", "nan"], ["NaN"]),
    // BFV: batch files.
    Case("BFV records under another key of the same parameters", ["decrypt", "--key", "c.key", "b.enc", "-o", "OUT"], ["b.enc was made under BFV key", "not under the given key"]),
    Case("BFV records scored under another key", ["score", "--model", "m.json", "--key", "c.pub", "--input", "b.enc", "-o", "OUT"], ["b.enc was made under BFV key"]),
    Case("Paillier file with a BFV key", ["decrypt", "--key", "b.key", "p.enc", "-o", "OUT"], ["p.enc is not a BFV batch file"]),
    Case("BFV header naming other coefficient moduli", ["decrypt", "--key", "b.key", "q.enc", "-o", "OUT"], ["q.enc: its parameters differ from those of the key b.key"]) { dir in
      try bfvHeader(dir, "q.enc", "coefficientModuli", [68_719_403_009 - 8192, 68_719_230_977, 137_438_822_401])
    },
    Case("BFV header declaring an enormous degree", ["score", "--model", "m.json", "--key", "b.pub", "--input", "n.enc", "-o", "OUT"], ["n.enc: its parameters differ"]) { dir in
      try bfvHeader(dir, "n.enc", "degree", 1 << 40)
    },
    Case("BFV header naming fewer plaintext moduli", ["decrypt", "--key", "b.key", "t.enc", "-o", "OUT"], ["t.enc: its parameters differ"]) { dir in
      let header = try JSONSerialization.jsonObject(with: Data(try lines(dir, "b.enc")[0].utf8)) as! [String: Any]
      return try bfvHeader(dir, "t.enc", "plaintextModuli", Array((header["plaintextModuli"] as! [Any]).prefix(2)))
    },
    Case("BFV header of a future version", ["decrypt", "--key", "b.key", "v.enc", "-o", "OUT"], ["v.enc", "version 3 is not supported"]) { dir in
      try bfvHeader(dir, "v.enc", "version", 3)
    },
    Case("BFV batch file of version 1 (no trailer, no line binding)", ["score", "--model", "m.json", "--key", "b.pub", "--input", "v1.enc", "-o", "OUT"], ["v1.enc", "version-1 BFV batch file", "encrypt the records again"]) { dir in
      try bfvHeader(dir, "v1.enc", "version", 1)
    },
    Case("BFV batch line cut short", ["decrypt", "--key", "b.key", "bcut.enc", "-o", "OUT"], ["bcut.enc, line 2"]) { dir in
      let lines = try lines(dir, "b.enc")
      return file("bcut.enc", lines[0] + "\n" + lines[1].prefix(lines[1].count * 2 / 3) + "\n")
    },
    Case("BFV ciphertext with a flipped byte", ["decrypt", "--key", "b.key", "bflip.enc", "-o", "OUT"], ["bflip.enc, line 2", "ciphertext 1 of modulus 1"]) { dir in
      let lines = try lines(dir, "b.enc")
      var bytes = [UInt8](Data(base64Encoded: lines[1])!)
      bytes[36] ^= 0x10  // inside the first ciphertext's header (its parameter identity)
      return file("bflip.enc", lines[0] + "\n" + Data(bytes).base64EncodedString() + "\n")
    },
    Case("BFV line declaring a 4 GiB ciphertext", ["decrypt", "--key", "b.key", "huge.enc", "-o", "OUT"], ["huge.enc, line 2", "truncated"]) { dir in
      try bfvFile(dir, "huge.enc", frame: Array("HEKL".utf8) + [2, 1, 3, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3])
    },
    Case("BFV line declaring 6 × 2^20 ciphertexts", ["score", "--model", "m.json", "--key", "b.pub", "--input", "many.enc", "-o", "OUT"], ["many.enc, line 2", "truncated"]) { dir in
      try bfvFile(dir, "many.enc", frame: Array("HEKL".utf8) + [2, 1, 6, 0, 2, 0, 0, 0, 0, 0, 0x10, 0])
    },
    Case("BFV line of another shape than its header", ["decrypt", "--key", "b.key", "shape.enc", "-o", "OUT"], ["shape.enc, line 2", "where the header says 3 × 2"]) { dir in
      try bfvFile(dir, "shape.enc", frame: Array("HEKL".utf8) + [2, 1, 1, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9])
    },
    // Truncation at a line boundary and splicing (issue 18): the trailer and the line binding.
    Case("Paillier batch file cut at a line boundary", ["decrypt", "--key", "k.key.json", "p1.enc", "-o", "OUT"], ["p1.enc is truncated: no trailer"]) { dir in
      file("p1.enc", try lines(dir, "p.enc").prefix(2).joined(separator: "\n") + "\n")
    },
    Case("Paillier batch files joined", ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "pj.enc", "-o", "OUT"], ["pj.enc, line 5: a line after the trailer"]) { dir in
      let lines = try lines(dir, "p.enc")
      return file("pj.enc", (lines + lines.dropFirst()).joined(separator: "\n") + "\n")
    },
    Case("BFV records file without its trailer", ["score", "--model", "m.json", "--key", "b.pub", "--input", "bnt.enc", "-o", "OUT"], ["bnt.enc is truncated: no trailer"]) { dir in
      file("bnt.enc", try lines(dir, "b.enc").prefix(2).joined(separator: "\n") + "\n")
    },
    Case("BFV line of another key under this key's header", ["decrypt", "--key", "b.key", "bsp.enc", "-o", "OUT"], ["bsp.enc, line 2", "belongs to another file"]) { dir in
      let other = try CLI.run(["encrypt", "--key", "c.pub", "--input", "d.csv", "--header"], in: dir)
      let lines = try lines(dir, "b.enc")
      return file("bsp.enc", [lines[0], other.stdout.split(separator: "\n").map(String.init)[1], lines[2]].joined(separator: "\n") + "\n")
    },
    Case("BFV line that is not base64", ["decrypt", "--key", "b.key", "junk.enc", "-o", "OUT"], ["junk.enc, line 2", "not base64"]) { dir in
      file("junk.enc", try lines(dir, "b.enc")[0] + "\n" + "%%% not a batch line %%%\n")
    },
    Case("empty BFV file", ["decrypt", "--key", "b.key", "empty.bfv", "-o", "OUT"], ["empty"]) { _ in file("empty.bfv", "") },
    Case("BFV secret key file cut short", ["decrypt", "--key", "cut.key", "b.enc", "-o", "OUT"], ["cut.key, line 3"]) { dir in
      let lines = try lines(dir, "b.key")
      return file("cut.key", lines.prefix(2).joined(separator: "\n") + "\n")
    },
    Case("BFV records file with a header only", ["decrypt", "--key", "b.key", "ho.enc", "-o", "OUT"], ["ho.enc: no batch after the header", "truncated"]) { dir in
      file("ho.enc", try lines(dir, "b.enc")[0] + "\n")
    },
    Case("BFV header only, decrypted to stdout", ["decrypt", "--key", "b.key", "ho2.enc"], ["ho2.enc: no batch after the header"]) { dir in
      file("ho2.enc", try lines(dir, "b.enc")[0] + "\n\n")
    },
    Case("BFV header only, scored", ["score", "--model", "m.json", "--key", "b.pub", "--input", "ho3.enc"], ["ho3.enc: no batch after the header"]) { dir in
      file("ho3.enc", try lines(dir, "b.enc")[0] + "\n")
    },
    // 16 MiB: below the 64 MiB any line may take, above what 3 moduli × 2 columns of ciphertexts at N = 8192 can.
    Case("BFV batch line longer than its header allows", ["decrypt", "--key", "b.key", "long.enc", "-o", "OUT"], ["long.enc, line 2: longer than", "corrupt"]) { dir in
      file("long.enc", try lines(dir, "b.enc")[0] + "\n" + String(repeating: "A", count: 16 << 20) + "\n")
    },
    // BFV: CSV input.
    Case("empty CSV (BFV)", ["encrypt", "--key", "b.pub", "--input", "empty2.csv", "-o", "OUT"], ["empty input"]) { _ in file("empty2.csv", "") },
    Case("empty CSV with declared ranges (BFV)", ["encrypt", "--key", "b.pub", "--input", "e3.csv", "--header", "--ranges-from", "d.csv", "-o", "OUT"], ["empty input"]) { _ in file("e3.csv", "a,b\n") },
    Case("non-numeric CSV cell (BFV)", ["encrypt", "--key", "b.pub", "--input", "x2.csv", "--header", "-o", "OUT"], ["CSV line 2, column 'a'", "'1,5' is not a number"]) { _ in file("x2.csv", "a,b\n\"1,5\",2\n") },
    Case("NaN in CSV (BFV)", ["encrypt", "--key", "b.pub", "--input", "nan2.csv", "--header", "-o", "OUT"], ["column 'a'", "NaN"]) { _ in file("nan2.csv", "a,b\nnan,2\n3,4\n") },
    Case("value outside the declared range (BFV)", ["encrypt", "--key", "b.pub", "--input", "wide.csv", "--header", "--ranges-from", "d.csv", "-o", "OUT"], ["CSV line 3, column 'b'", "outside the declared range"]) { _ in file("wide.csv", "a,b\n1,2\n2,40\n") },
  ]

  /// Every regular file of `dir` and its bytes.
  static func snapshot(_ dir: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
      files[name] = try Data(contentsOf: dir.appendingPathComponent(name))
    }
    return files
  }

  @Test("refused with exit 1 and a message naming the problem; no output, no temporary file, inputs unchanged", arguments: cases)
  func refused(_ hostile: Case) throws {
    let dir = try Self.workspace.get()
    for (name, data) in try hostile.files(dir) { try data.write(to: dir.appendingPathComponent(name)) }
    let before = try Self.snapshot(dir)
    let output = "out-\(UUID().uuidString.prefix(8))"
    let result = try CLI.run(hostile.arguments.map { $0 == "OUT" ? output : $0 }, in: dir)
    #expect(result.status == 1, "\(hostile.name): exit \(result.status); \(result.stderr)")
    for word in hostile.message {
      #expect(result.stderr.contains(word), "\(hostile.name): '\(word)' not in: \(result.stderr)")
    }
    #expect(result.stdout.isEmpty, "\(hostile.name): printed \(result.stdout.prefix(200))")
    let after = try Self.snapshot(dir)
    #expect(after == before, "\(hostile.name): files changed: \(Set(after.keys).symmetricDifference(before.keys).sorted())")
    // The last case removes the workspace.
    if Self.finished.add(1, ordering: .relaxed).newValue == Self.cases.count { try? FileManager.default.removeItem(at: dir) }
  }

  static let finished = Atomic<Int>(0)
}
