import Foundation
import Testing

/// The BFV side of the command line, run as a user would: keygen, encrypt
/// (public-key and seeded), score, decrypt, inspect, and the refusals.
/// N = 4096 and a handful of rows and columns keep it fast in a debug build.
@Suite("hekit BFV commands")
struct BFVCLITests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let features = ["mean radius", "mean texture", "mean smoothness", "worst area"]

  /// A fresh directory with `rows.csv` (10 rows of the bundled data, the
  /// features in another order, quoted names, the target and one unused
  /// column), `model.json` (trained on the four features) and, when
  /// `keys`, a BFV key pair `k.pub` / `k.key`.
  static func workspace(keys: Bool = true) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-bfv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let full = try String(contentsOf: root.appendingPathComponent("Data/breast_cancer.csv"), encoding: .utf8)
    let lines = full.split(whereSeparator: \.isNewline).map { $0.split(separator: ",").map(String.init) }
    let header = lines[0]
    let chosen = ["target", "worst area", "mean smoothness", "compactness error", "mean texture", "mean radius"]
    let indices = chosen.map { header.firstIndex(of: $0)! }
    var csv = indices.map { "\"\(header[$0])\"" }.joined(separator: ",") + "\n"
    for row in lines[1...10] { csv += indices.map { row[$0] }.joined(separator: ",") + "\n" }
    try csv.write(to: dir.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
    let train = try CLI.run([
      "train", "--input", root.appendingPathComponent("Data/breast_cancer.csv").path, "--target", "target",
      "--features", features.joined(separator: ","), "--output", "model.json",
    ], in: dir)
    #expect(train.status == 0, "\(train.stderr)")
    if keys {
      let keygen = try CLI.run(["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "k"], in: dir)
      #expect(keygen.status == 0, "\(keygen.stderr)")
    }
    return dir
  }

  static func text(_ dir: URL, _ name: String) throws -> String {
    try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
  }

  static func mode(_ dir: URL, _ name: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
  }

  /// The model's logit of every data row of `rows.csv`, from the model JSON in plaintext.
  static func plaintextLogits(_ dir: URL) throws -> [Double] {
    let model = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("model.json"))) as! [String: Any]
    let names = model["features"] as! [String]
    let weights = model["weights"] as! [Double]
    let scaler = model["scaler"] as! [String: [Double]]
    let lines = try text(dir, "rows.csv").split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    let header = lines[0].map { $0.replacingOccurrences(of: "\"", with: "") }
    return lines.dropFirst().map { row in
      var logit = model["intercept"] as! Double
      for (j, name) in names.enumerated() {
        let x = Double(row[header.firstIndex(of: name)!])!
        logit += weights[j] * (x - scaler["mean"]![j]) / scaler["scale"]![j]
      }
      return logit
    }
  }

  @Test("score --reveal label: the key holder gets the labels only, equal to the plaintext model's; unfit keys refused")
  func labelOnly() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    // Five rows of each class, so that a constant answer cannot pass.
    let full = try String(contentsOf: Self.root.appendingPathComponent("Data/breast_cancer.csv"), encoding: .utf8)
    let lines = full.split(whereSeparator: \.isNewline).map(String.init)
    let target = lines[0].split(separator: ",").firstIndex(of: "target")!
    let rows = [0, 1].flatMap { label in
      lines.dropFirst().filter { Double($0.split(separator: ",")[target]) == Double(label) }.prefix(5)
    }
    try ([lines[0]] + rows).joined(separator: "\n").appending("\n").write(
      to: dir.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
    // N = 8192 keys with four 30-bit moduli hold the blinded values (Z needs about 94 bits).
    for arguments in [
      ["keygen", "--scheme", "bfv", "--moduli", "4", "--output", "L"],
      ["encrypt", "--key", "L.pub", "--input", "rows.csv", "--exclude", "target", "-o", "r.enc"],
      ["score", "--model", "model.json", "--key", "L.pub", "--input", "r.enc", "--reveal", "label", "-o", "l.enc"],
      ["decrypt", "--key", "L.key", "l.enc", "-o", "l.csv"],
    ] {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
    let labels = try Self.text(dir, "l.csv").split(separator: "\n").map(String.init)
    let expected = try Self.plaintextLogits(dir).map { $0 >= 0 ? "1" : "0" }
    #expect(labels == ["label"] + expected)
    #expect(Set(expected).count == 2)
    let inspect = try CLI.run(["inspect", "--json", "l.enc"], in: dir)
    #expect(inspect.stdout.contains("\"reveal\": \"label\""), "\(inspect.stdout)")

    // N = 4096 has no room to flood the blinding; Paillier scores are logits.
    _ = try CLI.run(["encrypt", "--key", "k.pub", "--input", "rows.csv", "--exclude", "target", "-o", "small.enc"], in: dir)
    let small = try CLI.run(["score", "--model", "model.json", "--key", "k.pub", "--input", "small.enc", "--reveal", "label"], in: dir)
    #expect(small.status == 1 && small.stderr.contains("N ≥ 8192") && small.stdout.isEmpty, "\(small.stderr)")
    // Keys that hold the logits (3 × 24 bits = 71 ≥ 62) but not the blinded values: the message says what to do.
    _ = try CLI.run(["keygen", "--scheme", "bfv", "--modulus-bits", "24", "--output", "narrow"], in: dir)
    _ = try CLI.run(["encrypt", "--key", "narrow.pub", "--input", "rows.csv", "--exclude", "target", "-o", "n.enc"], in: dir)
    let narrow = try CLI.run(["score", "--model", "model.json", "--key", "narrow.pub", "--input", "n.enc", "--reveal", "label"], in: dir)
    #expect(narrow.status == 1 && narrow.stderr.contains("--reveal label needs") && narrow.stderr.contains("--moduli 4"), "\(narrow.stderr)")
    _ = try CLI.run(["keygen", "--bits", "2048", "--output", "p"], in: dir)
    _ = try CLI.run(["encrypt", "--key", "p.pub.json", "--input", "rows.csv", "--header", "-o", "p.enc"], in: dir)
    let paillier = try CLI.run(["score", "--model", "model.json", "--key", "p.pub.json", "--input", "p.enc", "--reveal", "label"], in: dir)
    #expect(paillier.status == 1 && paillier.stderr.contains("--reveal label needs a BFV key"))
    let typo = try CLI.run(["score", "--model", "model.json", "--key", "L.pub", "--input", "r.enc", "--reveal", "probability"], in: dir)
    #expect(typo.status == 64 && typo.stderr.contains("Please provide one of 'logit' and 'label'"))
  }

  @Test("keygen, encrypt, score, decrypt: logits within the stated bound, labels agree; seeded encryption too")
  func roundTrip() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    func run(_ arguments: [String]) throws -> CLIResult {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 0, "\(arguments.prefix(2)): \(result.stderr)")
      return result
    }
    #expect(try Self.mode(dir, "k.key") == 0o600)
    #expect(try Self.mode(dir, "k.pub") & 0o077 == 0o044)
    #expect(try Self.text(dir, "k.pub").hasPrefix("{\"format\": \"hekit-bfv-public-key\""))

    _ = try run(["encrypt", "--key", "k.pub", "--input", "rows.csv", "--exclude", "target", "-o", "rows.enc"])
    let header = try #require(try Self.text(dir, "rows.enc").split(separator: "\n").first)
    let headerObject = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
    #expect(headerObject["format"] as? String == "hekit-bfv-records")
    #expect(headerObject["encryption"] as? String == "public-key")
    #expect(headerObject["columns"] as? [String] == ["worst area", "mean smoothness", "compactness error", "mean texture", "mean radius"])
    #expect((headerObject["exponents"] as? [Int])?.count == 5)
    _ = try run(["score", "--model", "model.json", "--key", "k.pub", "--input", "rows.enc", "-o", "scores.enc"])
    let scoresHeader = try #require(try Self.text(dir, "scores.enc").split(separator: "\n").first)
    let scoresObject = try #require(try JSONSerialization.jsonObject(with: Data(scoresHeader.utf8)) as? [String: Any])
    let bound = try #require(scoresObject["errorBound"] as? Double)
    #expect(bound > 0 && bound <= 1e-6)
    #expect((scoresObject["floodingBits"] as? Int ?? 0) > 60)

    let expected = try Self.plaintextLogits(dir)
    func checkScores(_ csv: String) throws {
      let out = csv.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
      #expect(out.first == ["logit", "probability", "label"])
      #expect(out.count == expected.count + 1)
      for (row, logit) in zip(out.dropFirst(), expected) {
        let decrypted = try #require(Double(row[0]))
        // The bound is against exact arithmetic; 1e-9 covers the plaintext model's own Doubles.
        #expect(abs(decrypted - logit) <= bound + 1e-9, "logit \(decrypted) vs \(logit)")
        #expect(abs(try #require(Double(row[1])) - 1 / (1 + exp(-logit))) < 1e-6)
        #expect(row[2] == (logit >= 0 ? "1" : "0"))
      }
    }
    try checkScores(try run(["decrypt", "--key", "k.key", "scores.enc"]).stdout)

    // Decrypting the records gives the fixed-point values back: within 2^−(e+1) of the input.
    let records = try run(["decrypt", "--key", "k.key", "rows.enc"]).stdout.split(separator: "\n")
    #expect(records.first == "worst area,mean smoothness,compactness error,mean texture,mean radius")
    let input = try Self.text(dir, "rows.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst().map { Double($0)! } }
    let exponents = headerObject["exponents"] as! [Int]
    #expect(records.count == 11)
    for (line, row) in zip(records.dropFirst(), input) {
      for (j, value) in line.split(separator: ",").map({ Double($0)! }).enumerated() {
        #expect(abs(value - row[j]) <= pow(2, -Double(exponents[j] + 1)))
      }
    }

    // Seeded secret-key encryption: the same scores from a file about half the size.
    _ = try run(["encrypt", "--key", "k.key", "--input", "rows.csv", "--exclude", "target", "-o", "seeded.enc"])
    #expect(try Self.text(dir, "seeded.enc").contains("\"encryption\": \"secret-key\""))
    let sizes = try ["rows.enc", "seeded.enc"].map {
      try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent($0).path)[.size] as! Int
    }
    #expect(sizes[1] * 10 < sizes[0] * 6)
    _ = try run(["score", "--model", "model.json", "--key", "k.pub", "--input", "seeded.enc", "-o", "seeded-scores.enc"])
    try checkScores(try run(["decrypt", "--key", "k.key", "seeded-scores.enc"]).stdout)

    // The server refuses a secret key and writes nothing.
    let refused = try CLI.run(["score", "--model", "model.json", "--key", "k.key", "--input", "rows.enc", "-o", "s2.enc"], in: dir)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("k.key is a secret key"))
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s2.enc").path))
    // Decryption needs the secret key.
    let publicOnly = try CLI.run(["decrypt", "--key", "k.pub", "scores.enc"], in: dir)
    #expect(publicOnly.status == 1 && publicOnly.stderr.contains("secret key"))
  }

  @Test("another key, another scheme, a model the records cannot hold: refused with a message, nothing written")
  func refusals() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    #expect(try CLI.run(["encrypt", "--key", "k.pub", "--input", "rows.csv", "--exclude", "target", "-o", "rows.enc"], in: dir).status == 0)
    #expect(try CLI.run(["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "other", "--moduli", "1", "--modulus-bits", "16"], in: dir).status == 0)
    let wrongKey = try CLI.run(["score", "--model", "model.json", "--key", "other.pub", "--input", "rows.enc", "-o", "s.enc"], in: dir)
    #expect(wrongKey.status == 1)
    #expect(wrongKey.stderr.contains("rows.enc was made under BFV key"))
    let wrongSecret = try CLI.run(["decrypt", "--key", "other.key", "rows.enc"], in: dir)
    #expect(wrongSecret.status == 1 && wrongSecret.stderr.contains("not under the given key"))

    // One 16-bit modulus cannot hold the scores at a 1e-6 bound.
    #expect(try CLI.run(["encrypt", "--key", "other.pub", "--input", "rows.csv", "--exclude", "target", "-o", "small.enc"], in: dir).status == 0)
    let tooSmall = try CLI.run(["score", "--model", "model.json", "--key", "other.pub", "--input", "small.enc", "-o", "s.enc"], in: dir)
    #expect(tooSmall.status == 1)
    #expect(tooSmall.stderr.contains("bits of plaintext space but the parameters hold 15"))
    // Records too coarse for the target error.
    #expect(try CLI.run(["encrypt", "--key", "k.pub", "--input", "rows.csv", "--exclude", "target", "--precision-bits", "8", "-o", "coarse.enc"], in: dir).status == 0)
    let coarse = try CLI.run(["score", "--model", "model.json", "--key", "k.pub", "--input", "coarse.enc", "-o", "s.enc"], in: dir)
    #expect(coarse.status == 1 && coarse.stderr.contains("more --precision-bits") && coarse.stderr.contains("--target-error "))
    #expect(coarse.stderr.contains("coarse.enc") && coarse.stderr.contains("logit error"))
    // Records lacking a model feature.
    #expect(try CLI.run(["encrypt", "--key", "k.pub", "--input", "rows.csv", "--columns", "mean radius,worst area", "-o", "two.enc"], in: dir).status == 0)
    let missing = try CLI.run(["score", "--model", "model.json", "--key", "k.pub", "--input", "two.enc", "-o", "s.enc"], in: dir)
    #expect(missing.status == 1 && missing.stderr.contains("missing 'mean texture'"))
    #expect(!FileManager.default.fileExists(atPath: path("s.enc")))

    // Paillier keys and BFV files do not mix.
    #expect(try CLI.run(["keygen", "--scheme", "paillier", "--bits", "2048", "--output", "p"], in: dir).status == 0)
    let paillierOnBFV = try CLI.run(["score", "--model", "model.json", "--key", "p.pub.json", "--input", "rows.enc"], in: dir)
    #expect(paillierOnBFV.status == 1 && paillierOnBFV.stderr.contains("rows.enc is a BFV batch file"))
    let paillierDecryptsBFV = try CLI.run(["decrypt", "--key", "p.key.json", "rows.enc"], in: dir)
    #expect(paillierDecryptsBFV.status == 1 && paillierDecryptsBFV.stderr.contains("rows.enc is a BFV file"))
    #expect(try CLI.run(["encrypt", "--key", "p.pub.json", "--input", "rows.csv", "--header", "-o", "p.enc"], in: dir).status == 0)
    let bfvOnPaillier = try CLI.run(["score", "--model", "model.json", "--key", "k.pub", "--input", "p.enc"], in: dir)
    #expect(bfvOnPaillier.status == 1 && bfvOnPaillier.stderr.contains("not a BFV batch file"))
    let bfvDecryptsPaillier = try CLI.run(["decrypt", "--key", "k.key", "p.enc"], in: dir)
    #expect(bfvDecryptsPaillier.status == 1 && bfvDecryptsPaillier.stderr.contains("not a BFV batch file"))

    // Bad arguments: exit status 64.
    for arguments in [
      ["keygen", "--scheme", "bfv", "-o", "x", "--preset", "n2048"],
      ["keygen", "--scheme", "bfv", "-o", "x", "--moduli", "7"],
      ["keygen", "--scheme", "bfv", "-o", "x", "--modulus-bits", "31"],
      ["encrypt", "--key", "k.pub", "--input", "-", "--header"],
      ["encrypt", "--key", "k.pub", "--input", "rows.csv", "--precision-bits", "60"],
    ] {
      let result = try CLI.run(arguments, stdin: Data("a\n1\n".utf8), in: dir)
      #expect(result.status == 64, "\(arguments): \(result.stderr)")
      #expect(!result.stderr.isEmpty)
    }
    #expect(!FileManager.default.fileExists(atPath: path("x.pub")) && !FileManager.default.fileExists(atPath: path("x.key")))
  }

  @Test("out-of-range values, truncated and garbled lines and key files: a message naming the fault, exit 1, no output")
  func badInput() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }

    // Ranges declared from the first rows only: a later, larger radius is refused by name and line.
    let rows = try Self.text(dir, "rows.csv").split(separator: "\n")
    try write("first.csv", rows.prefix(4).joined(separator: "\n") + "\n")
    let outside = try CLI.run(["encrypt", "--key", "k.pub", "--input", "rows.csv", "--exclude", "target", "--ranges-from", "first.csv", "-o", "r.enc"], in: dir)
    #expect(outside.status == 1)
    #expect(outside.stderr.contains("CSV line ") && outside.stderr.contains(", column '"))
    #expect(outside.stderr.contains("outside the declared range"))
    #expect(!FileManager.default.fileExists(atPath: path("r.enc")))
    // A wide enough margin admits them; stdin works with declared ranges.
    let margin = try CLI.run(["encrypt", "--key", "k.pub", "--input", "-", "--exclude", "target", "--ranges-from", "first.csv", "--margin", "10"], stdin: Data(try Self.text(dir, "rows.csv").utf8), in: dir)
    #expect(margin.status == 0, "\(margin.stderr)")
    try write("rows.enc", margin.stdout)

    let lines = margin.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 3 && lines[2].hasPrefix("{\"trailer\": \"hekit-bfv-records\""))
    let batch = lines[1]
    let damaged = [
      ("truncated.enc", lines[0] + "\n" + batch.prefix(batch.count / 2) + "\n", "line 2"),
      ("garbled.enc", lines[0] + "\n" + batch.prefix(1000) + "!" + batch.dropFirst(1001) + "\n", "line 2: not base64"),
      ("flipped.enc", lines[0] + "\n" + Self.flipped(batch) + "\n", "line 2"),
      ("header.enc", "{\"format\": \"hekit-bfv-records\", \"version\": 1}\n" + batch + "\n", "not a HEKit BFV header"),
    ]
    for (index, (name, text, message)) in damaged.enumerated() {
      try write(name, text)
      // The server and the key holder read the same way: each refusal once, alternating.
      let result = index % 2 == 0
        ? try CLI.run(["score", "--model", "model.json", "--key", "k.pub", "--input", name, "-o", "out"], in: dir)
        : try CLI.run(["decrypt", "--key", "k.key", name, "-o", "out"], in: dir)
      #expect(result.status == 1, "\(name)")
      #expect(result.stderr.contains(name) && result.stderr.contains(message), "\(name): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: path("out")))
    }
    // Key files cut short or altered.
    let pub = try Self.text(dir, "k.pub")
    try write("cut.pub", String(pub.prefix(pub.count - 5000)))
    let cut = try CLI.run(["encrypt", "--key", "cut.pub", "--input", "rows.csv", "--exclude", "target"], in: dir)
    #expect(cut.status == 1 && cut.stderr.contains("cut.pub, line 4"), "\(cut.stderr)")
    let publicLines = pub.split(separator: "\n").map(String.init)
    try write("swapped.pub", ([publicLines[0], publicLines[2], publicLines[1], publicLines[3]]).joined(separator: "\n") + "\n")
    let swapped = try CLI.run(["inspect", "swapped.pub"], in: dir)
    #expect(swapped.status == 1 && swapped.stderr.contains("swapped.pub, line 2"), "\(swapped.stderr)")
  }

  /// The line with one byte of a ciphertext changed so that a residue leaves its range or the identity breaks.
  static func flipped(_ line: String) -> String {
    var bytes = [UInt8](Data(base64Encoded: line)!)
    for k in 16..<40 { bytes[k] = 0xff }  // the frame and the first ciphertext's header
    return Data(bytes).base64EncodedString()
  }

  @Test("inspect describes every kind, prints no secret, and names the key the files share")
  func inspect() throws {
    let dir = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: dir) }
    func run(_ arguments: [String]) throws -> CLIResult {
      let result = try CLI.run(arguments, in: dir)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
      return result
    }
    _ = try run(["encrypt", "--key", "k.pub", "--input", "rows.csv", "--exclude", "target", "-o", "rows.enc"])
    _ = try run(["score", "--model", "model.json", "--key", "k.pub", "--input", "rows.enc", "-o", "scores.enc"])
    _ = try run(["keygen", "--scheme", "paillier", "--bits", "2048", "--output", "p"])
    _ = try run(["encrypt", "--key", "p.pub.json", "--input", "rows.csv", "--header", "-o", "p.enc"])
    _ = try run(["encrypt", "--key", "p.pub.json", "-o", "one.json", "42"])

    // The BFV key identity is SHA-256 of the public keys, first 16 bytes: checked against sha256sum.
    let publicKeyBytes = try Self.text(dir, "k.pub").split(separator: "\n").dropFirst().flatMap { Data(base64Encoded: String($0))! }
    try Data(publicKeyBytes).write(to: dir.appendingPathComponent("keys.bin"))
    let digest = Process()
    digest.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    digest.arguments = [dir.appendingPathComponent("keys.bin").path]
    let pipe = Pipe()
    digest.standardOutput = pipe
    try digest.run()
    let sum = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    digest.waitUntilExit()
    let identity = String(sum.prefix(32))

    let secretLines = try Self.text(dir, "k.key").split(separator: "\n").dropFirst().map(String.init)
    let paillierSecret = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("p.key.json"))) as! [String: Any]
    let expectations: [(String, String, [String: Any])] = [
      ("k.pub", "a BFV public key", ["scheme": "bfv", "key": identity, "keys": 3]),
      ("k.key", "a BFV secret key", ["scheme": "bfv", "key": identity, "keys": 3]),
      ("rows.enc", "a BFV batch file of encrypted records", ["key": identity, "records": 10, "columns": 5, "encryption": "public-key"]),
      // Scores go back at 2 of the 3 primes of q (N = 4096, t of 24 bits: 72 ≥ 68 bits).
      ("scores.enc", "a BFV batch file of encrypted scores",
        ["key": identity, "scores": 10, "model": "logistic", "features": 4, "resultPrimes": [2]]),
      ("p.pub.json", "a Paillier public key (python-paillier JWK)", ["scheme": "paillier"]),
      ("p.key.json", "a Paillier private key (python-paillier JWK)", ["scheme": "paillier"]),
      ("p.enc", "a Paillier batch file of encrypted records", ["records": 10, "columns": 6]),
      ("one.json", "a Paillier ciphertext (pheutil {\"v\", \"e\"})", ["exponent": 0]),
      ("model.json", "a logistic model (HEKit model JSON)", ["features": 4]),
    ]
    let types = [
      "k.pub": "bfv-public-key", "k.key": "bfv-secret-key", "rows.enc": "bfv-records", "scores.enc": "bfv-scores",
      "p.pub.json": "paillier-public-key", "p.key.json": "paillier-private-key", "p.enc": "paillier-records",
      "one.json": "paillier-ciphertext", "model.json": "model",
    ]
    var paillierKeys: Set<String> = []
    for (name, kind, fields) in expectations {
      // Text for the files that hold secrets (and one more), JSON for all.
      let text = ["k.key", "p.key.json", "rows.enc"].contains(name) ? try run(["inspect", name]).stdout : ""
      #expect(text.isEmpty || text.hasPrefix("\(name): \(kind)\n"), "\(text)")
      let json = try run(["inspect", "--json", name])
      let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      #expect(object["kind"] as? String == kind)
      #expect(object["type"] as? String == types[name])
      let size = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.size] as! Int
      #expect(object["size"] as? Int == size)
      for (key, value) in fields {
        #expect("\(object[key] ?? "missing")" == "\(value)", "\(name): \(key)")
      }
      if name.hasPrefix("p.") { paillierKeys.insert(object["key"] as? String ?? "") }
      for output in [text, json.stdout] {
        for secret in secretLines { #expect(!output.contains(secret.prefix(40))) }
        for field in ["p", "q"] { #expect(!output.contains(paillierSecret[field] as! String)) }
      }
    }
    #expect(paillierKeys.count == 1 && paillierKeys.first?.count == 32)  // the key and the batch name one key

    try "not a HEKit file\n1,2,3\n".write(to: dir.appendingPathComponent("other.csv"), atomically: true, encoding: .utf8)
    try "".write(to: dir.appendingPathComponent("empty"), atomically: true, encoding: .utf8)
    for name in ["other.csv", "empty", "missing.file"] {
      let result = try CLI.run(["inspect", name], in: dir)
      #expect(result.status == 1 && result.stderr.contains(name), "\(name): \(result.stderr)")
    }
  }
}
