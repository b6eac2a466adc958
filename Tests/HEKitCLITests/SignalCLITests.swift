import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Signals mid-run: every terminating signal removes the temporary file and
/// ends the command by that same signal; a signal the parent ignores stays
/// ignored; a SIGKILLed run's temporary file is removed by the next run.
@Suite("hekit under signals", .serialized)
struct SignalCLITests {
  /// A folder with keys of both schemes and inputs large enough that
  /// encrypting them takes seconds.
  static func setUp() throws -> URL {
    let dir = try Files.folder("signals")
    try Files.csv(400, named: "small.csv", in: dir)
    try Files.csv(60_000, named: "large.csv", in: dir)
    #expect(try CLI.run(["keygen", "--bits", "2048", "--output", "k"], in: dir).status == 0)
    #expect(try CLI.run(["keygen", "--scheme", "bfv", "--preset", "n4096", "--output", "b"], in: dir).status == 0)
    return dir
  }

  static let paillierEncrypt = ["encrypt", "--key", "k.pub.json", "--input", "small.csv", "--header", "--mode", "standard", "--output", "out.enc"]
  static let bfvEncrypt = ["encrypt", "--key", "b.pub", "--input", "large.csv", "--header", "--output", "out.enc"]

  /// Starts `arguments` and waits until its temporary file exists.
  static func startWriting(_ arguments: [String], in dir: URL, shell: String? = nil) throws -> Spawned {
    let run = try Spawned(arguments, in: dir, shell: shell)
    let writing = try Files.waitUntil(seconds: 60) { try !Files.temporaries(in: dir).isEmpty || !run.process.isRunning }
    #expect(writing && run.process.isRunning, "the command ended before it could be signalled: \(run.stderr)")
    return run
  }

  static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1]

  @Test("a terminating signal mid-encrypt: the command dies by it, leaving no temporary and no output", arguments: [false, true])
  func terminatingSignals(bfv: Bool) throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = try Files.snapshot(dir)
    for signal in Self.signals {
      let run = try Self.startWriting(bfv ? Self.bfvEncrypt : Self.paillierEncrypt, in: dir)
      kill(run.pid, signal)
      #expect(run.wait(seconds: 60), "signal \(signal): still running")
      #expect(run.killed(by: signal), "signal \(signal): ended with \(run.process.terminationReason) \(run.status)")
      #expect(!run.stderr.contains("crashed"), "signal \(signal): \(run.stderr)")
      let left = try Files.temporaries(in: dir)
      #expect(left.isEmpty, "signal \(signal): \(left)")
      #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.enc").path), "signal \(signal): output left")
    }
    #expect(try Files.snapshot(dir) == input)
  }

  @Test("a signal the parent ignores (trap '' SIG, or nohup) stays ignored: the command completes")
  func inheritedIgnore() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, signal) in [("INT", SIGINT), ("HUP", SIGHUP), ("QUIT", SIGQUIT), ("nohup", SIGHUP)] {
      try? FileManager.default.removeItem(at: dir.appendingPathComponent("out.enc"))
      let shell = name == "nohup" ? "exec nohup \"$0\" \"$@\"" : "trap '' \(name); exec \"$0\" \"$@\""
      let run = try Self.startWriting(Self.bfvEncrypt, in: dir, shell: shell)
      kill(run.pid, signal)
      #expect(run.wait(seconds: 300), "\(name): hung")
      #expect(run.exitedNormally && run.status == 0, "\(name): \(run.process.terminationReason) \(run.status) \(run.stderr)")
      let decrypted = try CLI.run(["inspect", "out.enc"], in: dir)
      #expect(decrypted.status == 0 && decrypted.stdout.contains("records       60000"), "\(name): \(decrypted.stdout)")
      #expect(try Files.temporaries(in: dir).isEmpty)
    }
  }

  @Test("SIGKILL leaves a temporary file that the next run for the same output removes")
  func staleAfterKill() throws {
    let dir = try Self.setUp()
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = try Self.startWriting(Self.bfvEncrypt, in: dir)
    kill(run.pid, SIGKILL)
    #expect(run.wait(seconds: 30))
    let stale = try Files.temporaries(in: dir)
    #expect(stale.count == 1 && stale[0].hasPrefix(".out.enc."), "\(stale)")
    let again = try CLI.run(["encrypt", "--key", "k.pub.json", "5", "--output", "out.enc"], in: dir)
    #expect(again.status == 0, "\(again.stderr)")
    let left = try Files.temporaries(in: dir)
    #expect(left.isEmpty, "\(left)")
  }

  @Test("a temporary file of a live process, or of another output, is never removed")
  func liveTemporariesKept() throws {
    let dir = try Files.folder("live-temp")
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try CLI.run(["keygen", "--bits", "2048", "--output", "k"], in: dir).status == 0)
    // A live process (a sleeping shell) and a dead one (a finished shell).
    let live = try Spawned([], in: dir, shell: "exec sleep 60")
    defer { kill(live.pid, SIGKILL); live.wait(seconds: 5) }
    let dead = try Spawned([], in: dir, shell: "exit 0")
    dead.wait(seconds: 10)
    let names = [
      ".out.enc.hekit-tmp-\(live.pid)-AbC123", ".other.enc.hekit-tmp-\(dead.pid)-AbC123", ".out.enc.hekit-tmp-\(dead.pid)-XyZ789",
    ]
    for name in names { try Data("partial".utf8).write(to: dir.appendingPathComponent(name)) }
    let result = try CLI.run(["encrypt", "--key", "k.pub.json", "5", "--output", "out.enc"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let left = try Files.temporaries(in: dir)
    #expect(Set(left) == Set(names.prefix(2)), "\(left)")
  }
}
