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

  @Test("demo runs the self-check and reports every check passed")
  func demo() throws {
    let result = try CLI.run(["demo", "--bits", "512"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Fermat"))
    #expect(result.stdout.contains("RSA round trip"))
    #expect(result.stdout.contains("9 passed, 0 failed"))
    #expect(!result.stdout.contains("FAIL"))
  }

  @Test("bad arguments fail with a message and a non-zero status")
  func badArguments() throws {
    let odd = try CLI.run(["demo", "--bits", "511"])
    #expect(odd.status != 0)
    #expect(odd.stderr.contains("--bits must be an even number"))
    let unknown = try CLI.run(["frobnicate"])
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("frobnicate"))
  }
}
