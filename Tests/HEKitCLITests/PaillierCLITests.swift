import Foundation
import Testing

/// The Paillier subcommands, run as a user would: files, modes, exit status,
/// and python-paillier's (pheutil's) files in both directions.
@Suite("hekit Paillier commands")
struct PaillierCLITests {
  /// A fresh directory with a 2048-bit key pair `k.pub.json` / `k.key.json`.
  static func workspace() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-paillier-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let result = try CLI.run(["keygen", "--scheme", "paillier", "--bits", "2048", "--output", "k"], in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    return directory
  }

  static func mode(_ url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }

  static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

  @Test("keygen writes NAME.pub.json and NAME.key.json (0600), refuses to overwrite without --force")
  func keygen() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let pub = dir.appendingPathComponent("k.pub.json")
    let key = dir.appendingPathComponent("k.key.json")
    #expect(try Self.mode(key) == 0o600)
    #expect(try Self.mode(pub) & 0o077 == 0o044)
    let pubObject = try JSONSerialization.jsonObject(with: Data(contentsOf: pub)) as? [String: Any]
    #expect(pubObject?["kty"] as? String == "DAJ" && pubObject?["alg"] as? String == "PAI-GN1")
    let keyObject = try JSONSerialization.jsonObject(with: Data(contentsOf: key)) as? [String: Any]
    #expect(keyObject?["p"] is String && keyObject?["q"] is String && keyObject?["pub"] is [String: Any])

    let before = try Self.text(key)
    let again = try CLI.run(["keygen", "--bits", "2048", "-o", "k"], in: dir)
    #expect(again.status != 0)
    #expect(again.stderr.contains("already exists"))
    #expect(try Self.text(key) == before)
    let forced = try CLI.run(["keygen", "--bits", "2048", "-o", "k", "--force"], in: dir)
    #expect(forced.status == 0)
    #expect(try Self.text(key) != before)
    #expect(try Self.mode(key) == 0o600)
    // No temporary files are left behind.
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(Set(names) == ["k.pub.json", "k.key.json"])
  }

  @Test("keygen refuses insecure or unsupported sizes and other schemes")
  func keygenValidation() throws {
    for arguments in [["--bits", "1024"], ["--bits", "2049"], ["--bits", "8192"], ["--scheme", "rsa"]] {
      let result = try CLI.run(["keygen", "-o", "x"] + arguments)
      #expect(result.status != 0)
      #expect(!result.stderr.isEmpty)
    }
  }

  @Test("encrypt, add, multiply, decrypt: integers exact, reals as pheutil prints them")
  func pheutilVerbs() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try CLI.run(["encrypt", "--key", "k.pub.json", "42", "-o", "a.json"], in: dir).status == 0)
    #expect(try CLI.run(["encrypt", "--key", "k.pub.json", "--mode", "standard", "-o", "b.json", "--", "-2.5"], in: dir).status == 0)
    let b = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("b.json"))) as? [String: Any]
    #expect(b?["v"] is String)
    #expect((b?["e"] as? NSNumber)?.intValue == -32)  // pheutil's serialisation
    let decryptA = try CLI.run(["decrypt", "--key", "k.key.json", "a.json"], in: dir)
    #expect(decryptA.status == 0 && decryptA.stdout == "42\n")
    #expect(try CLI.run(["add", "--key", "k.pub.json", "a.json", "b.json", "-o", "s.json"], in: dir).status == 0)
    #expect(try CLI.run(["decrypt", "--key", "k.key.json", "s.json"], in: dir).stdout == "39.5\n")
    let product = try CLI.run(["multiply", "--key", "k.pub.json", "a.json", "--", "-3"], in: dir)
    #expect(product.status == 0)
    #expect(try CLI.run(["decrypt", "--key", "k.key.json", "-"], stdin: Data(product.stdout.utf8), in: dir).stdout == "-126\n")
    let plus = try CLI.run(["add", "--key", "k.pub.json", "a.json", "--value", "1.25"], in: dir)
    #expect(try CLI.run(["decrypt", "--key", "k.key.json", "-"], stdin: Data(plus.stdout.utf8), in: dir).stdout == "43.25\n")
    let extracted = try CLI.run(["extract", "k.key.json"], in: dir)
    #expect(extracted.status == 0 && extracted.stdout.contains("\"PAI-GN1\""))
  }

  @Test("CSV to batch file and back, as a file and as a stdin/stdout filter")
  func batches() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = (0..<70).map { i in "\(i),\(-i * 7),\(Double(i) / 4)" }.joined(separator: "\n") + "\n"
    try Data(csv.utf8).write(to: dir.appendingPathComponent("x.csv"))
    let encrypted = try CLI.run(["encrypt", "--key", "k.pub.json", "--input", "x.csv", "-o", "x.enc"], in: dir)
    #expect(encrypted.status == 0, "\(encrypted.stderr)")
    let lines = try Self.text(dir.appendingPathComponent("x.enc")).split(separator: "\n")
    #expect(lines.count == 72)
    #expect(lines[0].contains("hekit-paillier-batch"))
    #expect(lines[71] == #"{"trailer": "hekit-paillier-batch", "records": 70, "lines": 70}"#)
    let decrypted = try CLI.run(["decrypt", "--key", "k.key.json", "x.enc"], in: dir)
    let expected = (0..<70).map { i in "\(i),\(-i * 7),\(Double(i) / 4)" }.joined(separator: "\n") + "\n"
    #expect(decrypted.stdout == expected)
    let piped = try CLI.run(["encrypt", "--key", "k.pub.json", "--input", "-"], stdin: Data("1,2\n3,4\n".utf8), in: dir)
    let back = try CLI.run(["decrypt", "--key", "k.key.json", "-"], stdin: Data(piped.stdout.utf8), in: dir)
    #expect(back.stdout == "1,2\n3,4\n")
    let headed = try CLI.run(
      ["encrypt", "--key", "k.pub.json", "--input", "-", "--skip-header"], stdin: Data("a,b\n5,6\n".utf8), in: dir)
    #expect(headed.status == 0, "\(headed.stderr)")
    let headedBack = try CLI.run(["decrypt", "--key", "k.key.json", "-"], stdin: Data(headed.stdout.utf8), in: dir)
    #expect(headedBack.stdout == "a,b\n5,6\n")  // the header travels in the batch file
    let unheaded = try CLI.run(["encrypt", "--key", "k.pub.json", "--input", "-"], stdin: Data("a,b\n".utf8), in: dir)
    #expect(unheaded.status != 0 && unheaded.stderr.contains("line 1"))
  }

  @Test("files written by pheutil work in hekit")
  func pheutilFiles() throws {
    let pheutil = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Vectors/Paillier/pheutil")
    let sum = try CLI.run(["decrypt", "--key", "private.json", "sum.json"], in: pheutil)
    #expect(sum.status == 0, "\(sum.stderr)")
    #expect(sum.stdout == (try Self.text(pheutil.appendingPathComponent("sum.txt"))))
    let product = try CLI.run(["decrypt", "--key", "private.json", "product.json"], in: pheutil)
    #expect(product.stdout == (try Self.text(pheutil.appendingPathComponent("product.txt"))))
    // pheutil writes no plaintext bound: hekit refuses to add unchecked unless told to.
    let refused = try CLI.run(["add", "--key", "public.json", "a.json", "b.json"], in: pheutil)
    #expect(refused.status == 1 && refused.stderr.contains("a.json: the ciphertext carries no plaintext bound"), "\(refused.stderr)")
    let added = try CLI.run(["add", "--key", "public.json", "a.json", "b.json", "--allow-unbounded"], in: pheutil)
    #expect(added.status == 0, "\(added.stderr)")
    #expect(!added.stdout.contains("bound"))
    let again = try CLI.run(["decrypt", "--key", "private.json", "-"], stdin: Data(added.stdout.utf8), in: pheutil)
    #expect(again.stdout == "3.75\n")
  }

  @Test("errors: output over an input, key mismatch, malformed ciphertext, missing file")
  func errors() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try CLI.run(["encrypt", "--key", "k.pub.json", "5", "-o", "a.json"], in: dir).status == 0)
    let overInput = try CLI.run(["multiply", "--key", "k.pub.json", "a.json", "2", "-o", "a.json", "--force"], in: dir)
    #expect(overInput.status != 0 && overInput.stderr.contains("also an input"))
    let exists = try CLI.run(["encrypt", "--key", "k.pub.json", "6", "-o", "a.json"], in: dir)
    #expect(exists.status != 0 && exists.stderr.contains("already exists"))
    #expect(try CLI.run(["decrypt", "--key", "k.key.json", "a.json"], in: dir).stdout == "5\n")

    #expect(try CLI.run(["keygen", "--bits", "2048", "-o", "other"], in: dir).status == 0)
    // pheutil's single-ciphertext layout names no key; a batch file's header does.
    let batch = try CLI.run(["encrypt", "--key", "k.pub.json", "--input", "-"], stdin: Data("1,2\n".utf8), in: dir)
    let mismatch = try CLI.run(["decrypt", "--key", "other.key.json", "-"], stdin: Data(batch.stdout.utf8), in: dir)
    #expect(mismatch.status != 0 && mismatch.stderr.contains("- was encrypted under a different public key than the one in other.key.json"))
    try Data("{\"v\": \"0\", \"e\": 0}".utf8).write(to: dir.appendingPathComponent("zero.json"))
    let invalid = try CLI.run(["decrypt", "--key", "k.key.json", "zero.json"], in: dir)
    #expect(invalid.status != 0 && invalid.stderr.contains("not a valid ciphertext"))
    try Data("not json".utf8).write(to: dir.appendingPathComponent("junk.json"))
    let junk = try CLI.run(["add", "--key", "k.pub.json", "a.json", "junk.json"], in: dir)
    #expect(junk.status != 0 && junk.stderr.contains("malformed"))
    let missing = try CLI.run(["decrypt", "--key", "k.key.json", "nope.json"], in: dir)
    #expect(missing.status != 0 && missing.stderr.contains("nope.json"))
    let badValue = try CLI.run(["encrypt", "--key", "k.pub.json", "abc"], in: dir)
    #expect(badValue.status != 0 && badValue.stderr.contains("not a number"))
    let nan = try CLI.run(["encrypt", "--key", "k.pub.json", "nan"], in: dir)
    #expect(nan.status != 0)
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
    #expect(names.isEmpty)  // no temporary files left by the failures
  }
}

extension PaillierCLITests {
  @Test("operations within the window go through exactly on files; a negative --value with '='")
  func boundedOperations() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    func run(_ arguments: [String], stdin: String? = nil) throws -> String {
      let result = try CLI.run(arguments, stdin: stdin.map { Data($0.utf8) }, in: dir)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      return result.stdout
    }
    let seven = try run(["encrypt", "--key", "k.pub.json", "7"])
    #expect(seven.contains("\"bound\": \"72057594037927936\""))  // 2^56
    let product = try run(["multiply", "--key", "k.pub.json", "-", "1" + String(repeating: "0", count: 500)], stdin: seven)
    #expect(try run(["decrypt", "--key", "k.key.json", "-"], stdin: product) == "7" + String(repeating: "0", count: 500) + "\n")
    let sum = try run(["add", "--key", "k.pub.json", "-", "--value=-7.25"], stdin: seven)
    #expect(try run(["decrypt", "--key", "k.key.json", "-"], stdin: sum) == "-0.25\n")
    for (arguments, advice) in [
      (["encrypt", "--key", "k.pub.json", "-1e-3"], "'-1e-3' reads as an option: put \"--\" before a negative number"),
      (["add", "--key", "k.pub.json", "-", "--value", "-7.25"], "'-7.25' after --value reads as an option: write --value=-7.25"),
    ] {
      let negative = try CLI.run(arguments, in: dir)
      #expect(negative.status != 0 && negative.stderr.contains(advice), "\(negative.stderr)")
    }
    let help = try CLI.run(["add", "--help"])
    #expect(help.stdout.contains("--value=-7.25") && !help.stdout.contains("--value -- -7.25"))
  }
}
