import Foundation
import Testing

@Suite("hekit basics")
struct BasicCLITests {
  @Test("--version prints the version")
  func version() throws {
    let result = try CLI.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
  }

  @Test("--help lists the subcommands")
  func help() throws {
    let result = try CLI.run(["--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("USAGE: hekit"))
    #expect(result.stdout.contains("demo"))
  }

  @Test(
    "an option of fixed choices refuses another value by listing the choices",
    arguments: [
      (["keygen", "--scheme", "rsa", "--output", "x"], "'rsa' is invalid for '--scheme <scheme>'. Please provide one of 'paillier' and 'bfv'"),
      (["keygen", "--scheme", "bfv", "--preset", "n2048", "--output", "x"], "Please provide one of 'n8192' and 'n4096'"),
      (["score", "--model", "m", "--key", "k", "--input", "i", "--reveal", "all"], "Please provide one of 'logit' and 'label'"),
      (["encrypt", "--key", "k", "--mode", "fast", "--", "1"], "Please provide one of 'djn' and 'standard'"),
      (["demo", "--scheme", "ckks"], "Please provide one of 'paillier', 'bfv' or 'both'"),
      (["bench", "--preset", "n16384"], "Please provide one of 'n8192' and 'n4096'"),
    ])
  func choices(arguments: [String], message: String) throws {
    let result = try CLI.run(arguments)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  @Test("demo --self-check runs the arithmetic checks and reports every one passed")
  func selfCheck() throws {
    let result = try CLI.run(["demo", "--self-check", "--bits", "512"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Fermat"))
    #expect(result.stdout.contains("RSA round trip"))
    #expect(result.stdout.contains("9 passed, 0 failed"))
    #expect(!result.stdout.contains("FAIL"))
  }

  @Test("demo scores the bundled data encrypted under both schemes and agrees with the plaintext model")
  func demo() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let result = try CLI.run(["demo", "--bits", "2048", "--rows", "25", "--preset", "n4096"], in: root)
    #expect(result.status == 0, "\(result.stderr)")
    let parts = result.stdout.components(separatedBy: "\n\n")
    #expect(parts.count == 2 && parts[0].contains("Paillier 2048-bit") && parts[1].contains("BFV N=4096"))
    for stage in ["client: key generation", "client: encrypt 750 values", "server: score 25 records", "client: decrypt 25 scores"] {
      #expect(parts[0].contains(stage))
    }
    for stage in ["client: key generation", "client: encrypt 25 records", "server: score 25 records", "client: decrypt 25 scores"] {
      #expect(parts.last?.contains(stage) == true)
    }
    #expect(parts[0].contains("labels 25/25 (100.0%)") && parts.last?.contains("labels 25/25 (100.0%)") == true)
    #expect(result.stdout.contains("ok: every encrypted score matches the plaintext model"))
    #expect(result.stdout.contains("ok: every encrypted score is within the bound of the plaintext model"))
    let elsewhere = try CLI.run(["demo", "--data", "/nonexistent/data.csv"])
    #expect(elsewhere.status != 0 && elsewhere.stderr.contains("cannot find /nonexistent/data.csv"))
  }

  @Test("bad arguments fail with a message and a non-zero status")
  func badArguments() throws {
    let odd = try CLI.run(["demo", "--self-check", "--bits", "511"])
    #expect(odd.status != 0)
    #expect(odd.stderr.contains("--bits must be an even number"))
    let small = try CLI.run(["demo", "--bits", "1024"])
    #expect(small.status != 0 && small.stderr.contains("2048 to 4096"))
    let unknown = try CLI.run(["frobnicate"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("frobnicate"))
  }
}
