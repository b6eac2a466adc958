// The line-oriented batch files of both schemes, as `hekit decrypt` and
// `hekit score` read them: a header line, then records (Paillier: one JSON
// array of ciphertexts per line; BFV: one base64 batch line of K × d
// ciphertexts per line). The first byte picks the scheme; the rest is the
// whole file. Whatever parses is decrypted, as `hekit decrypt` would.
//
// BFV runs on a tiny insecure set (N = 16, two 40-bit primes, plaintext
// moduli 97 and 257: K = 2) so that whole lines fit in a few hundred bytes;
// the framing code does not depend on N. The BFV files' JSON header and key
// files have a target of their own (FuzzBFVFiles); what follows the header
// is fuzzed here.

import Foundation
import FuzzSupport
import HEKit

let paillierKey: Paillier.PrivateKey = {
  guard let key = try? Paillier.PrivateKey.insecureGenerate(bits: 512) else { fatalError("key generation failed") }
  return key
}()

let bfv: [(parameters: BFV.Parameters, secretKey: BFV.SecretKey)] = {
  guard let primes = try? Modulus.nttFriendlyPrimes(bitWidths: [40, 40], degree: 16).map(\.value) else {
    fatalError("primes")
  }
  return ([97, 257] as [UInt64]).map { t in
    guard let p = try? BFV.Parameters(insecureDegree: 16, coefficientModuli: primes, plaintextModulus: t) else {
      fatalError("parameters")
    }
    return (p, BFV.SecretKey(parameters: p))
  }
}()

/// The header binding of the seed lines (any 16 bytes: the reader compares them).
let binding = [UInt8](repeating: 0xB1, count: 16)

/// The lines of a file (LF or CRLF), as the CLI's line reader gives them.
func lines(_ text: Substring) -> [Substring] {
  text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
}

runFuzzer(seeds: {
  let pk = paillierKey.publicKey
  let paillierFile =
    Paillier.Batch.header(for: pk, .init(columns: ["x", "y"], annotations: ["exponents": "[-4,0]"])) + "\n"
    + Paillier.Batch.record([try pk.encrypt(12345), try pk.encrypt(-2.5)]) + "\n"
    + Paillier.Batch.record([try pk.encrypt(0), try pk.encrypt(7)]) + "\n"
    + Paillier.Batch.Trailer(records: 2, lines: 2).line + "\n"
  func bfvLine(_ content: BFVBatchLine.Content, values: Int, count: Int) throws -> String {
    let blobs = try bfv.map { key in
      let encoder = BFV.Encoder(parameters: key.parameters)
      return try (0..<values).map { j in
        let plaintext = try encoder.encode((0..<count).map { UInt64($0 + j) })
        return try key.secretKey.encrypt(plaintext).serialized()
      }
    }
    return BFVBatchLine.encode(content, count: count, binding: binding, blobs: blobs)
  }
  let bfvFile = try bfvLine(.records, values: 2, count: 5) + "\n" + bfvLine(.records, values: 2, count: 16) + "\n"
  return [
    ("paillier-batch", [0] + Array(paillierFile.utf8)),
    ("bfv-records", [1] + Array(bfvFile.utf8)),
    ("bfv-scores", [1] + Array(try bfvLine(.scores, values: 1, count: 3).utf8)),
  ]
}) { data, size in
  let input = bytes(data, size)
  guard let selector = input.first else { return 0 }
  let text = String(decoding: input.dropFirst(), as: UTF8.self)
  if selector % 2 == 0 {
    // Paillier: header (with key identity), then records.
    var rest = lines(text[...])[...]
    guard let header = rest.popFirst() else { return 0 }
    expectTyped(PaillierError.self) {
      _ = try Paillier.Batch.validateHeader(header, for: paillierKey.publicKey)
      for line in rest where !line.isEmpty {
        if Paillier.Batch.Trailer.isTrailer(line) {
          _ = try Paillier.Batch.Trailer(parsing: line)
          continue
        }
        let record = try Paillier.Batch.parseRecord(line, publicKey: paillierKey.publicKey)
        for c in record.prefix(4) { _ = try? paillierKey.decrypt(c) }
      }
    }
  } else {
    // BFV: batch lines of records or scores under K = 2 moduli.
    for line in lines(text[...]) where !line.isEmpty {
      expectTyped(BFVBatchLine.LineError.self) {
        let batch = try BFVBatchLine(String(line))
        try batch.check(batch.content, moduli: bfv.count, values: batch.values, capacity: 16, binding: binding)
        for i in 0..<batch.moduli {
          for j in 0..<min(batch.values, 4) {
            let ciphertext = try batch.ciphertext(i, j, parameters: bfv[i].parameters)
            if let plaintext = try? bfv[i].secretKey.decrypt(ciphertext) {
              _ = try? BFV.Encoder(parameters: bfv[i].parameters).decode(plaintext) as [UInt64]
            }
          }
        }
      }
    }
  }
  return 0
}
