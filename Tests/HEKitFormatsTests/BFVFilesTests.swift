import BFV
import Foundation
import HEKitFormats
import Testing
import _TestSupport

/// The BFV key files and headers of the command line, read through the
/// library (the same code `hekit` and the fuzz target use).
@Suite("BFV key files and headers", .serialized)
struct BFVFilesTests {
  /// One plaintext modulus at N = 4096 (the smallest ring the files accept).
  static let spec: BFVParameterSpec = {
    let base = try! BFV.Parameters(preset: .n4096)
    return BFVParameterSpec(degree: 4096, coefficientModuli: base.coefficientModuli, plaintextModuli: [base.plaintextModulus])
  }()
  static let keys = try! BFVKeyFile.generate(spec, comment: "test")


  static func read(_ text: String, refusingSecret: Bool = false, requiringSecret: Bool = false) throws -> BFVKeyFile {
    try BFVKeyFile.read(lines: lineSource(text), file: "k", refusingSecret: refusingSecret, requiringSecret: requiringSecret)
  }

  static func error(_ body: () throws -> some Any) -> FormatError? {
    do {
      _ = try body()
      return nil
    } catch { return error as? FormatError }
  }

  @Test("key identities are the first 16 bytes of SHA-256 over the public keys (FIPS 180-4 vectors)")
  func identityDigest() {
    // The digests of FIPS 180-4's examples, split across keys as a key set is.
    #expect(BFVKeyFile.identity(of: [[]]) == "e3b0c44298fc1c149afbf4c8996fb924")
    #expect(BFVKeyFile.identity(of: [Array("a".utf8), Array("bc".utf8)]) == "ba7816bf8f01cfea414140de5dae2223")
    let text = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    #expect(BFVKeyFile.identity(of: [Array(text.prefix(50)), Array(text.dropFirst(50))]) == "248d6a61d20638b8e5c026930c3e6039")
    let million = [[UInt8]](repeating: Array(repeating: UInt8(ascii: "a"), count: 1000), count: 1000)
    #expect(BFVKeyFile.identity(of: million) == "cdc76e5c9914fb9281a1c7e284d73e67")
  }

  @Test("public and secret key files round-trip; the identity is the digest of the public keys")
  func roundTrip() throws {
    let (publicKeys, secretKeys) = Self.keys
    let readPublic = try Self.read(publicKeys.text())
    #expect(!readPublic.isSecret && readPublic.header == publicKeys.header)
    #expect(readPublic.publicKeys.map { $0.serialized() } == publicKeys.publicKeys.map { $0.serialized() })
    #expect(publicKeys.header.key == BFVKeyFile.identity(of: publicKeys.publicKeys.map { $0.serialized() }))
    let readSecret = try Self.read(secretKeys.text() + "  \n\t\n")  // blank lines after the keys are allowed
    #expect(readSecret.isSecret && readSecret.spec == Self.spec)
    // The secret read back decrypts what the public key encrypts.
    let encoder = BFV.Encoder(parameters: readSecret.parameters[0])
    let ciphertext = try readPublic.publicKeys[0].encrypt(encoder.encode([7, 8, 9] as [UInt64]))
    #expect(Array(try encoder.decode(readSecret.secretKeys[0].decrypt(ciphertext)).prefix(3)) == [7, 8, 9])
  }

  @Test("a key file that is refused names the file and the fault")
  func refused() throws {
    let (publicKeys, secretKeys) = Self.keys
    let publicText = try publicKeys.text()
    let publicLines = publicText.split(separator: "\n").map(String.init)
    #expect(Self.error { try Self.read(secretKeys.text(), refusingSecret: true) } == .secretKeyRefused(file: "k"))
    #expect(Self.error { try Self.read(publicText, requiringSecret: true) }.map { "\($0.localizedDescription)".contains("secret key") } == true)
    #expect(Self.error { try Self.read("") } == .malformed(file: "k", reason: "the file is empty"))
    #expect(Self.error { try Self.read(publicLines[0] + "\n") }.map { if case .malformedLine(_, 2, _) = $0 { true } else { false } } == true)
    #expect(Self.error { try Self.read(publicText + "extra\n") }.map { if case .malformed(_, let r) = $0 { r.contains("more lines") } else { false } } == true)
    // Another key's identity in the header: refused, the keys do not hash to it.
    let forged = publicText.replacingOccurrences(of: publicKeys.header.key, with: String(repeating: "0", count: 32))
    #expect(Self.error { try Self.read(forged) }.map { if case .malformed(_, let r) = $0 { r.contains("does not match") } else { false } } == true)
    // The expected identity is checked from the header, before any key is read.
    let expected = Self.error {
      try BFVKeyFile.read(lines: lineSource(publicLines[0] + "\n"), file: "k", expectedKey: ("ab", file: "r.enc"))
    }
    #expect(expected.map { if case .keyMismatch(file: "r.enc", found: "ab", _) = $0 { true } else { false } } == true)
  }

  @Test("headers: parsed with their checks; every refusal is a typed error naming the file")
  func headers() throws {
    let line = try Self.keys.public.header.line()
    #expect(line.hasPrefix("{\"format\": \"hekit-bfv-public-key\""))
    #expect(BFVFileHeader.isBFV(line) && !BFVFileHeader.isBFV("{\"n\": 5}"))
    #expect(try BFVFileHeader.parse(line, file: "f") == Self.keys.public.header)
    let refusals: [(String, String)] = [
      ("not json", "not a HEKit BFV header"),
      (line.replacingOccurrences(of: "hekit-bfv-public-key", with: "hekit-bfv-other"), "unknown format"),
      (line.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2"), "version 2"),
      (line.replacingOccurrences(of: Self.keys.public.header.key, with: "xyz"), "32 hex digits"),
    ]
    for (text, reason) in refusals {
      let error = Self.error { try BFVFileHeader.parse(text, file: "f") }
      #expect(error.map { if case .malformed("f", let r) = $0 { r.contains(reason) } else { false } } == true, "\(reason)")
    }
    #expect(Self.error { try BFVFileHeader.parse(line, file: "f", expected: BFVFileHeader.recordsFormat) }
      == .wrongKind(file: "f", found: "a BFV public key", needed: "a BFV batch file of encrypted records"))
  }

  @Test("parameter specs: insecure, non-batching, repeated or too wide plaintext moduli are refused")
  func specs() throws {
    #expect(try Self.spec.build(file: "s").count == 1)
    var spec = Self.spec
    spec.plaintextModuli = [Self.spec.plaintextModuli[0], Self.spec.plaintextModuli[0]]
    #expect(Self.error { try spec.build(file: "s") }.map { "\($0.localizedDescription)".contains("distinct") } == true)
    spec.plaintextModuli = [65537 + 2]
    #expect(Self.error { try spec.build(file: "s") } != nil)
    spec = Self.spec
    spec.degree = 1024  // q of N = 4096 in a ring of 1024: far below 128-bit security
    #expect(Self.error { try spec.build(file: "s") } != nil)
    spec = Self.spec
    spec.plaintextModuli = []
    #expect(Self.error { try spec.build(file: "s") }.map { "\($0.localizedDescription)".contains("0 plaintext moduli") } == true)
  }
}
