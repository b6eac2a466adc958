// The BFV files of the command line as `hekit` reads them (HEKitFormats'
// BFVFiles.swift): the JSON header line of every BFV file (key files,
// records, scores), its parameter set, the declared ranges of a records
// header, and whole key files (public: every key read and the key identity
// checked against them; secret: every key read, its bytes wiped).
//
// A header that parses must survive `line()` and parse back to itself: the
// writer and the reader agree on every field.
//
// Seeds (written by the seed mode): a public and a secret key file at
// N = 4096 with one plaintext modulus, and headers of records and scores.

import Foundation
import FuzzSupport
import HEKit

/// The lines of a file (LF or CRLF), as the CLI's line reader gives them.
func lines(_ text: String) -> [String] {
  text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
}

/// The seeds' parameter set, held for the whole run: inputs that name the
/// same ring reuse its tables (PolyContext.shared) instead of building them
/// for each input, which would take most of the time.
let seedParameters = try? BFVParameterSpec(
  degree: 4096, coefficientModuli: BFV.Parameters(preset: .n4096).coefficientModuli,
  plaintextModuli: [BFV.Parameters(preset: .n4096).plaintextModulus]
).build(file: "seed")

runFuzzer(seeds: {
  let base = try BFV.Parameters(preset: .n4096)
  let spec = BFVParameterSpec(degree: 4096, coefficientModuli: base.coefficientModuli, plaintextModuli: [base.plaintextModulus])
  let (publicKeys, secretKeys) = try BFVKeyFile.generate(spec, comment: "fuzz seed")
  var records = BFVFileHeader(format: BFVFileHeader.recordsFormat, key: publicKeys.header.key, spec: spec)
  records.encryption = "public-key"
  records.precisionBits = 30
  records.columns = ["a", "b"]
  records.exponents = [20, 24]
  records.ranges = [[-1.5, 2], [0, 100]]
  var scores = BFVFileHeader(format: BFVFileHeader.scoresFormat, key: publicKeys.header.key, spec: spec)
  scores.model = "logistic"
  scores.threshold = 0.5
  scores.features = 2
  scores.fractionBits = 44
  scores.requiredBits = 70
  scores.errorBound = 3.5e-7
  scores.floodingBits = 40
  scores.reveal = "label"
  scores.blindingBits = 16
  return [
    ("public-key", Array(try publicKeys.text().utf8)),
    ("secret-key", Array(try secretKeys.text().utf8)),
    ("records-header", Array((try records.line() + "\n").utf8)),
    ("scores-header", Array((try scores.line() + "\n").utf8)),
  ]
}) { data, size in
  _ = seedParameters
  let text = String(decoding: bytes(data, size), as: UTF8.self)
  let all = lines(text)
  guard let first = all.first else { return 0 }
  expectTyped(FormatError.self) {
    let header = try BFVFileHeader.parse(first, file: "fuzz")
    guard try BFVFileHeader.parse(header.line(), file: "fuzz") == header else {
      fatalError("a header does not read back as written: \(first)")
    }
    switch header.format {
    case BFVFileHeader.publicKeyFormat, BFVFileHeader.secretKeyFormat:
      var index = 0
      let keys = try BFVKeyFile.read(
        lines: {
          defer { index += 1 }
          return index < all.count ? all[index] : nil
        }, file: "fuzz")
      guard keys.parameters.count == header.plaintextModuli.count else { fatalError("a key set of the wrong size") }
    case BFVFileHeader.recordsFormat:
      _ = try header.checkedRanges(file: "fuzz")
      _ = try header.spec.build(file: "fuzz")
    default:
      _ = try header.spec.build(file: "fuzz")
    }
  }
  return 0
}
