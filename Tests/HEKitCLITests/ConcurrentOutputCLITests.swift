import Foundation
import Testing

/// Real concurrent `hekit` processes writing the same destination: without
/// --force exactly one wins and the others fail with "already exists"; key
/// pairs are always matched, with or without --force.
@Suite("hekit outputs under concurrent writers", .serialized)
struct ConcurrentOutputCLITests {
  /// The key identity `hekit inspect --json` reports for `name` in `dir`.
  static func identity(_ name: String, in dir: URL) throws -> String? {
    let result = try CLI.run(["inspect", "--json", name], in: dir)
    let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return object?["key"] as? String
  }

  /// Starts `count` copies of `arguments` at once and waits for all (bounded).
  static func race(_ arguments: [String], count: Int, in dir: URL) throws -> [Spawned] {
    let runs = try (0..<count).map { _ in try Spawned(arguments, in: dir) }
    for run in runs { #expect(run.wait(seconds: 300), "\(arguments) hung") }
    return runs
  }

  @Test("two concurrent encrypts to one new file: one writes it, the other fails with 'already exists'")
  func concurrentEncrypt() throws {
    let dir = try Files.folder("race-encrypt")
    defer { try? FileManager.default.removeItem(at: dir) }
    try Files.csv(60, named: "x.csv", in: dir)
    #expect(try CLI.run(["keygen", "--bits", "2048", "--output", "k"], in: dir).status == 0)
    #expect(try CLI.run(["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"], in: dir).status == 0)
    for (trial, key) in ["k.pub.json", "b.pub", "k.pub.json"].enumerated() {
      let output = "same\(trial).enc"
      let runs = try Self.race(["encrypt", "--key", key, "--input", "x.csv", "--header", "--output", output], count: 2, in: dir)
      let winners = runs.filter { $0.exitedNormally && $0.status == 0 }
      #expect(winners.count == 1, "trial \(trial) (\(key)): \(runs.map { "\($0.status): \($0.stderr)" })")
      for loser in runs where loser.status != 0 {
        #expect(loser.stderr.contains("\(output) already exists (use --force to replace it)"), "\(loser.stderr)")
      }
      let decrypted = try CLI.run(["decrypt", "--key", key == "b.pub" ? "b.key" : "k.key.json", output], in: dir)
      #expect(decrypted.status == 0, "\(decrypted.stderr)")
    }
    #expect(try Files.temporaries(in: dir).isEmpty)
  }

  @Test("three concurrent keygens of one name: one pair written, matched; the others refused", arguments: ["paillier", "bfv"])
  func concurrentKeygen(scheme: String) throws {
    let dir = try Files.folder("race-keygen")
    defer { try? FileManager.default.removeItem(at: dir) }
    let (pub, key) = scheme == "bfv" ? ("b.pub", "b.key") : ("b.pub.json", "b.key.json")
    for trial in 0..<3 {
      try? FileManager.default.removeItem(at: dir.appendingPathComponent(pub))
      try? FileManager.default.removeItem(at: dir.appendingPathComponent(key))
      let arguments = scheme == "bfv"
        ? ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"] : ["keygen", "--bits", "2048", "--output", "b"]
      let runs = try Self.race(arguments, count: 3, in: dir)
      let winners = runs.filter { $0.exitedNormally && $0.status == 0 }
      #expect(winners.count == 1, "trial \(trial): \(runs.map { "\($0.status): \($0.stderr)" })")
      for loser in runs where loser.status != 0 { #expect(loser.stderr.contains("already exists"), "\(loser.stderr)") }
      let (a, b) = (try Self.identity(pub, in: dir), try Self.identity(key, in: dir))
      #expect(a != nil && a == b, "trial \(trial): \(pub) \(a ?? "-") and \(key) \(b ?? "-") differ")
      if scheme == "paillier" {
        // The secret key decrypts what the public key encrypts.
        #expect(try CLI.run(["encrypt", "--key", pub, "7", "--output", "c\(trial).json"], in: dir).status == 0)
        #expect(try CLI.run(["decrypt", "--key", key, "c\(trial).json"], in: dir).stdout == "7\n")
      }
    }
    #expect(try Files.temporaries(in: dir).isEmpty)
  }

  @Test("three concurrent keygens with --force: all succeed and the pair left is matched", arguments: ["paillier", "bfv"])
  func concurrentForcedKeygen(scheme: String) throws {
    let dir = try Files.folder("race-force")
    defer { try? FileManager.default.removeItem(at: dir) }
    let (pub, key) = scheme == "bfv" ? ("b.pub", "b.key") : ("b.pub.json", "b.key.json")
    for trial in 0..<3 {
      let arguments = scheme == "bfv"
        ? ["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b", "--force"]
        : ["keygen", "--bits", "2048", "--output", "b", "--force"]
      let runs = try Self.race(arguments, count: 3, in: dir)
      #expect(runs.allSatisfy { $0.exitedNormally && $0.status == 0 }, "\(runs.map(\.stderr))")
      let (a, b) = (try Self.identity(pub, in: dir), try Self.identity(key, in: dir))
      #expect(a != nil && a == b, "trial \(trial): \(pub) \(a ?? "-") and \(key) \(b ?? "-") differ")
    }
    #expect(try Files.temporaries(in: dir).isEmpty)
  }
}
