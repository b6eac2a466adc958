import Foundation
import Testing

/// `hekit bench` and the tuning profile every command applies at startup:
/// bad profiles and variables stop a command with a message naming them, a
/// good profile is what the run uses, variables override it. Only the quick
/// Paillier half runs, at 2048 bits and 0.1 s per operation (a few seconds).
@Suite struct BenchCLITests {
  /// Runs hekit with extra environment variables (and no profile from the
  /// user's home unless `HEKIT_TUNING` is given).
  func run(_ arguments: [String], environment extra: [String: String], in directory: URL? = nil) throws -> CLIResult {
    try CLI.run(arguments, in: directory, environment: extra)
  }

  func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func profile(threads: Int?, window: Int?, bfvPreset: String? = nil) -> String {
    """
    {"format": "hekit-tuning", "version": 1, "created": "2026-11-29T00:00:00Z",
     "machine": {"cpu": "test", "cores": 2}, \(threads.map { "\"threads\": \($0)," } ?? "")
     \(window.map { "\"paillierDJNWindowBits\": \($0)," } ?? "")
     \(bfvPreset.map { "\"bfv\": {\"records\": 100000, \"depth\": 0, \"preset\": \"\($0)\"}," } ?? "") "measurements": []}
    """
  }

  @Test func badProfilesAndVariablesStopEveryCommand() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("missing.json").path
    var result = try run(["--version"], environment: ["HEKIT_TUNING": missing])
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot read the tuning profile \(missing): no such file"))

    let bad = directory.appendingPathComponent("bad.json")
    try Data(profile(threads: 1, window: 30).utf8).write(to: bad)
    result = try run(["--version"], environment: ["HEKIT_TUNING": bad.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("paillierDJNWindowBits must be 4 to 14, not 30"))
    // `hekit bench` warns and runs with the defaults instead (--tune rewrites the profile).
    result = try run(["bench", "--seconds", "0"], environment: ["HEKIT_TUNING": bad.path])
    #expect(result.stderr.contains("warning: the tuning profile"))
    #expect(result.status == 64)  // then refuses --seconds 0 itself

    try Data("{\"format\": \"hekit-tuning\"".utf8).write(to: bad)
    result = try run(["--version"], environment: ["HEKIT_TUNING": bad.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("is invalid: not JSON"))

    result = try run(["--version"], environment: ["HEKIT_THREADS": "0"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("HEKIT_THREADS='0' is invalid"))
    result = try run(["--version"], environment: ["HEKIT_PAILLIER_WINDOW": "3"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("HEKIT_PAILLIER_WINDOW='3' is invalid: expected a window of 4 to 14 bits"))
  }

  @Test func benchRefusesBadOptions() throws {
    for arguments in [
      ["bench", "--seconds", "0"], ["bench", "--scheme", "rsa"], ["bench", "--bits", "1024"],
      ["bench", "--records", "10"], ["bench", "--tune", "--depth", "99"], ["bench", "--preset", "n16384"],
    ] {
      let result = try run(arguments, environment: [:])
      #expect(result.status == 64, "\(arguments)")
      #expect(!result.stderr.isEmpty)
    }
  }

  @Test func quickBenchRunsWithTheProfileAndItsOverrides() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profilePath = directory.appendingPathComponent("tuning.json").path
    try Data(profile(threads: 1, window: 9).utf8).write(to: URL(fileURLWithPath: profilePath))
    let output = directory.appendingPathComponent("bench.json").path
    let arguments = ["bench", "--scheme", "paillier", "--bits", "2048", "--seconds", "0.1", "--output", output]
    var result = try run(arguments, environment: ["HEKIT_TUNING": profilePath])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("tuning: \(profilePath) (batch work on 1 thread, DJN window 9)"))
    #expect(result.stdout.contains("first encryption: DJN table w=9"))
    #expect(result.stdout.contains("batch encrypt 64 values, 1 thread"))
    struct Results: Decodable {
      struct Row: Decodable {
        var operation: String
        var median: Double
        var p90: Double
        var samples: Int
      }
      var format: String
      var threads: Int
      var paillierDJNWindowBits: Int
      var tuningProfile: String?
      var rows: [Row]
    }
    var results = try JSONDecoder().decode(Results.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
    #expect(results.format == "hekit-bench")
    #expect(results.threads == 1)
    #expect(results.paillierDJNWindowBits == 9)
    #expect(results.tuningProfile == profilePath)
    #expect(results.rows.contains { $0.operation == "encrypt (DJN)" && $0.median > 0 && $0.p90 >= $0.median })

    // A second run replaces its own earlier result; variables override the profile.
    result = try run(arguments, environment: ["HEKIT_TUNING": profilePath, "HEKIT_PAILLIER_WINDOW": "7"])
    #expect(result.status == 0, "\(result.stderr)")
    results = try JSONDecoder().decode(Results.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
    #expect(results.paillierDJNWindowBits == 7)
    #expect(results.threads == 1)

    // Any other file is kept unless --force.
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: output))
    result = try run(arguments, environment: [:])
    #expect(result.status != 0)
    #expect(result.stderr.contains("already exists (use --force to replace it)"))
    #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
  }

  @Test func keygenReportsTheProfilesFasterPresetButKeepsTheStrongDefault() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profilePath = directory.appendingPathComponent("tuning.json").path
    try Data(profile(threads: nil, window: nil, bfvPreset: "n4096").utf8).write(to: URL(fileURLWithPath: profilePath))
    let environment = ["HEKIT_TUNING": profilePath, "HEKIT_NTT_KERNEL": "scalar"]
    // One plaintext modulus keeps the keys (one public key per modulus) quick to make.
    var result = try run(["keygen", "--scheme", "bfv", "--moduli", "1", "--output", "tuned"], environment: environment, in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("note: the tuning profile \(profilePath) found n4096 faster"))
    #expect(result.stderr.contains("(BFV N=8192, log q 218"))
    // Asked for by name, n4096 it is, without the note.
    result = try run(
      ["keygen", "--scheme", "bfv", "--preset", "n4096", "--moduli", "1", "--output", "given"], environment: environment,
      in: directory)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stderr.contains("tuning profile"))
    #expect(result.stderr.contains("(BFV N=4096, log q 109"))
  }

  @Test("bench --tune --profile FILE says which runs will read FILE")
  func tuneSaysWhoAppliesTheProfile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = directory.appendingPathComponent("tuning.json").path
    let arguments = ["bench", "--tune", "--profile", profile, "--records", "10", "--features", "2", "--memory-mb", "16"]
    let elsewhere = try run(arguments, environment: [:])  // HEKIT_TUNING=off: commands read no profile
    #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
    #expect(elsewhere.stdout.contains("hekit commands apply it only when HEKIT_TUNING=\(profile) is set"), "\(elsewhere.stdout)")
    #expect(!elsewhere.stdout.contains("every hekit command now applies it"))
    let named = try run(arguments + ["--force"], environment: ["HEKIT_TUNING": profile])
    #expect(named.status == 0, "\(named.stderr)")
    #expect(named.stdout.contains("every hekit command now applies it"), "\(named.stdout)")
  }
}
