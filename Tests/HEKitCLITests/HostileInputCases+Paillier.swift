import BigNum
import Foundation
import Testing

// Paillier operations on files that could leave the plaintext window,
// keys no generator would make, keys and files of the wrong kind, and JSON
// that names a key twice (issue 18, cases 1, 2, 5, 15, 16).
extension HostileInputCLITests {
  /// `hekit encrypt --key k.pub.json -- VALUE`'s output.
  static func encrypted(_ dir: URL, _ value: String) throws -> Data {
    let result = try CLI.run(["encrypt", "--key", "k.pub.json", "--", value], in: dir)
    guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["encrypt": result.stderr]) }
    return Data(result.stdout.utf8)
  }

  /// A ciphertext file as python-paillier writes it: no bound.
  static func withoutBound(_ dir: URL, _ value: String) throws -> Data {
    let object = try JSONSerialization.jsonObject(with: try encrypted(dir, value)) as! [String: Any]
    return Data("{\"v\": \"\(object["v"] as! String)\", \"e\": \(object["e"] as! Int)}".utf8)
  }

  static func base64URL(_ value: BigInteger) throws -> String { try value.base64URLString() }

  /// A JWK pair for n = p·q with the given primes (checked by nothing).
  static func jwk(p: BigInteger, q: BigInteger) throws -> (public: String, private: String) {
    let pub = "{\"kty\": \"DAJ\", \"alg\": \"PAI-GN1\", \"key_ops\": [\"encrypt\"], \"n\": \"\(try base64URL(p * q))\", \"kid\": \"weak\"}"
    let priv = "{\"kty\": \"DAJ\", \"key_ops\": [\"decrypt\"], \"p\": \"\(try base64URL(p))\", \"q\": \"\(try base64URL(q))\", \"pub\": \(pub), \"kid\": \"weak\"}"
    return (pub, priv)
  }

  static let window = "could exceed the plaintext window"

  static let paillierOperationCases: [Case] = [
    Case("E(10^600) × 10^9 from a file", ["multiply", "--key", "k.pub.json", "big.json", "1000000000", "-o", "OUT"], [window]) { dir in
      ["big.json": try encrypted(dir, "1" + String(repeating: "0", count: 600))]
    },
    Case("E(-31) × 10^600 from a file", ["multiply", "--key", "k.pub.json", "m31.json", "1" + String(repeating: "0", count: 600), "-o", "OUT"], [window]) { dir in
      ["m31.json": try encrypted(dir, "-31")]
    },
    Case("E(10^600) + E(10^600): caught at add", ["add", "--key", "k.pub.json", "big2.json", "big2.json", "-o", "OUT"], [window]) { dir in
      ["big2.json": try encrypted(dir, "1" + String(repeating: "0", count: 600))]
    },
    Case("E(1e308) + E(1e-300): exponents too far apart", ["add", "--key", "k.pub.json", "e308.json", "em300.json", "-o", "OUT"], [window]) { dir in
      ["e308.json": try encrypted(dir, "1e308"), "em300.json": try encrypted(dir, "1e-300")]
    },
    Case("E(1e308) + 1e-300", ["add", "--key", "k.pub.json", "e308b.json", "--value=1e-300", "-o", "OUT"], [window]) { dir in
      ["e308b.json": try encrypted(dir, "1e308")]
    },
    Case("add: a ciphertext without a bound (python-paillier's)", ["add", "--key", "k.pub.json", "phe.json", "phe.json", "-o", "OUT"], ["phe.json: the ciphertext carries no plaintext bound", "--allow-unbounded"]) { dir in
      ["phe.json": try withoutBound(dir, "5")]
    },
    Case("multiply: a ciphertext without a bound", ["multiply", "--key", "k.pub.json", "phe2.json", "3", "-o", "OUT"], ["phe2.json: the ciphertext carries no plaintext bound"]) { dir in
      ["phe2.json": try withoutBound(dir, "5")]
    },
    Case("score: batch records without bounds", ["score", "--model", "m.json", "--key", "k.pub.json", "--input", "nob.enc", "-o", "OUT"], ["nob.enc, line 2", "carries no plaintext bound"]) { dir in
      var lines = try lines(dir, "p.enc")
      let bound = try NSRegularExpression(pattern: #", "bound": "[0-9]+""#)
      lines[1] = bound.stringByReplacingMatches(in: lines[1], range: NSRange(lines[1].startIndex..., in: lines[1]), withTemplate: "")
      return file("nob.enc", lines.joined(separator: "\n") + "\n")
    },
    Case("a ciphertext swapped in under a smaller bound", ["decrypt", "--key", "k.key.json", "swap.json", "-o", "OUT"], ["swap.json", "exceeds the bound"]) { dir in
      let big = try JSONSerialization.jsonObject(with: try encrypted(dir, "1" + String(repeating: "0", count: 100))) as! [String: Any]
      return file("swap.json", "{\"v\": \"\(big["v"] as! String)\", \"e\": 0, \"bound\": \"18446744073709551616\"}")
    },
    Case("add with a private key", ["add", "--key", "k.key.json", "a1.json", "a1.json", "-o", "OUT"], ["k.key.json is a private key", "hekit extract"]) { dir in
      ["a1.json": try encrypted(dir, "1")]
    },
    Case("multiply with a private key", ["multiply", "--key", "k.key.json", "a2.json", "2", "-o", "OUT"], ["k.key.json is a private key"]) { dir in
      ["a2.json": try encrypted(dir, "1")]
    },
    Case("extract from a public key", ["extract", "k.pub.json", "-o", "OUT"], ["k.pub.json is a public key", "needs the private key"]),
    Case("add with a BFV key", ["add", "--key", "b.pub", "a3.json", "a3.json", "-o", "OUT"], ["b.pub is a BFV file", "Paillier keys and ciphertexts only"]) { dir in
      ["a3.json": try encrypted(dir, "1")]
    },
    Case("private key with p = 5 and a 2046-bit q", ["decrypt", "--key", "weak.key.json", "p.enc", "-o", "OUT"], ["weak.key.json", "small factor 5"]) { _ in
      file("weak.key.json", try jwk(p: 5, q: (BigInteger(1) << 2045).nextPrime()).private)
    },
    Case("inspect: public key with n = 3 × prime", ["inspect", "three.pub.json"], ["three.pub.json", "small factor 3"]) { _ in
      file("three.pub.json", try jwk(p: 3, q: (BigInteger(1) << 2046).nextPrime()).public)
    },
    Case("inspect: private key with factors of unequal size", ["inspect", "uneq.key.json"], ["uneq.key.json", "p and q must be of equal size"]) { _ in
      let p = (BigInteger(1) << 900).nextPrime()
      return file("uneq.key.json", try jwk(p: p, q: (BigInteger(1) << 1150).nextPrime()).private)
    },
    Case("model naming a key twice", ["score", "--model", "dup.json", "--key", "k.pub.json", "--input", "p.enc", "-o", "OUT"], ["the key \"intercept\" appears twice"]) { _ in
      file("dup.json", #"{"kind": "linear", "features": ["a", "b"], "weights": [0.5, -2], "intercept": 0, "intercept": 1000}"#)
    },
    Case("model naming a key twice (BFV)", ["score", "--model", "dup2.json", "--key", "b.pub", "--input", "b.enc", "-o", "OUT"], ["the key \"intercept\" appears twice"]) { _ in
      file("dup2.json", #"{"kind": "linear", "intercept": 1000, "features": ["a", "b"], "weights": [0.5, -2], "intercept": 0}"#)
    },
    Case("public key naming a key twice", ["encrypt", "--key", "dupk.pub.json", "-o", "OUT", "5"], ["dupk.pub.json", "appears twice"]) { dir in
      let text = try text(dir, "k.pub.json")
      return file("dupk.pub.json", text.replacingOccurrences(of: "{", with: "{\"n\": \"AQAB\", "))
    },
    Case("ciphertext naming a key twice", ["decrypt", "--key", "k.key.json", "dupc.json", "-o", "OUT"], ["dupc.json", "the key \"e\" appears twice"]) { dir in
      let object = try JSONSerialization.jsonObject(with: try encrypted(dir, "4")) as! [String: Any]
      return file("dupc.json", "{\"v\": \"\(object["v"] as! String)\", \"e\": 0, \"e\": -30}")
    },
    Case("Paillier batch record naming a key twice", ["decrypt", "--key", "k.key.json", "dupr.enc", "-o", "OUT"], ["dupr.enc, line 2", "appears twice"]) { dir in
      var lines = try lines(dir, "p.enc")
      lines[1] = lines[1].replacingOccurrences(of: "\"e\": ", with: "\"e\": 0, \"e\": ")
      return file("dupr.enc", lines.joined(separator: "\n") + "\n")
    },
    Case("BFV header naming a key twice", ["decrypt", "--key", "b.key", "duph.enc", "-o", "OUT"], ["duph.enc", "appears twice"]) { dir in
      var lines = try lines(dir, "b.enc")
      lines[0] = lines[0].replacingOccurrences(of: "{", with: "{\"degree\": 4096, ")
      return file("duph.enc", lines.joined(separator: "\n") + "\n")
    },
    Case("BFV trailer naming a key twice", ["decrypt", "--key", "b.key", "dupt.enc", "-o", "OUT"], ["dupt.enc", "trailer"]) { dir in
      var lines = try lines(dir, "b.enc")
      lines[lines.count - 1] = lines[lines.count - 1].replacingOccurrences(of: "{", with: "{\"records\": 1, ")
      return file("dupt.enc", lines.joined(separator: "\n") + "\n")
    },
    Case("inspect: a model naming a key twice", ["inspect", "dup3.json"], ["dup3.json", "appears twice"]) { _ in
      file("dup3.json", #"{"kind": "linear", "features": ["a"], "weights": [1], "weights": [2], "intercept": 0}"#)
    },
    Case("--margin widening a range past a Double", ["encrypt", "--key", "b.pub", "--input", "huger.csv", "--header", "--margin", "1e6", "-o", "OUT"], ["column 'a'", "--margin", "±1.8e308"]) { _ in
      file("huger.csv", "a,b\n1e303,2\n-1e303,4\n")
    },
    Case("train on a missing file", ["train", "--input", "nope.csv", "--target", "y", "--output", "OUT"], ["nope.csv"]),
  ]

  @Test("the suite says how many hostile cases it covers")
  func count() {
    print("hostile-input suite: \(Self.cases.count) cases")
    #expect(Self.cases.count >= 81)
    #expect(Set(Self.cases.map(\.name)).count == Self.cases.count, "case names must be distinct")
  }
}
