import BigNum
import Foundation
import Paillier

/// Keys shared by the tests of one process (key generation is the slow part).
enum TestKeys {
  /// A 1024-bit key: insecure, for the many laws that only need correctness.
  static let small: Paillier.PrivateKey = {
    do { return try Paillier.PrivateKey.insecureGenerate(bits: 1024) } catch { fatalError("key generation failed: \(error)") }
  }()

  /// A second, unrelated 1024-bit key, for key-mismatch checks.
  static let other: Paillier.PrivateKey = {
    do { return try Paillier.PrivateKey.insecureGenerate(bits: 1024) } catch { fatalError("key generation failed: \(error)") }
  }()

  /// The 2048-bit key of the python-paillier vectors (secure size, loaded, not generated).
  static let phe2048: Paillier.PrivateKey = {
    do { return try Paillier.PrivateKey(jwk: Data(PheVectors.key(bits: 2048).privateJWK.utf8)) } catch {
      fatalError("vector key failed: \(error)")
    }
  }()
}

/// Tests/Vectors/Paillier/phe_vectors.json, made by make_vectors.py with python-paillier.
struct PheVectors: Decodable {
  struct Key: Decodable {
    let bits: Int
    let publicJWK: String
    let privateJWK: String
    let legacyPrivateJWK: String
    let standardKAT: [KAT]
    let encodings: [Encoding]
    let ciphertexts: [CiphertextVector]
    let operations: Operations

    enum CodingKeys: String, CodingKey {
      case bits, encodings, ciphertexts, operations
      case publicJWK = "public_jwk", privateJWK = "private_jwk", legacyPrivateJWK = "legacy_private_jwk"
      case standardKAT = "standard_kat"
    }
  }
  struct KAT: Decodable { let m: String, r: String, c: String }
  struct Encoding: Decodable {
    let value: String
    let precision: String?
    let maxExponent: Int?
    let encoding: String
    let exponent: Int
    let decoded: String
    enum CodingKeys: String, CodingKey {
      case value, precision, encoding, exponent, decoded
      case maxExponent = "max_exponent"
    }
  }
  struct CiphertextVector: Decodable { let v: String, e: Int, plaintext: String }
  struct Pair: Decodable { let v: String, e: Int }
  struct Operations: Decodable {
    let a: Pair, b: Pair
    let aPlusB: String, aTimes3: String, bTimesMinus25: String, aPlus125: String
    enum CodingKeys: String, CodingKey {
      case a, b
      case aPlusB = "a_plus_b", aTimes3 = "a_times_3", bTimesMinus25 = "b_times_minus_2_5", aPlus125 = "a_plus_1_25"
    }
  }

  let keys: [Key]

  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Vectors/Paillier")

  static let shared: PheVectors = {
    do {
      let data = try Data(contentsOf: directory.appendingPathComponent("phe_vectors.json"))
      return try JSONDecoder().decode(PheVectors.self, from: data)
    } catch {
      fatalError("cannot read phe_vectors.json: \(error)")
    }
  }()

  static func key(bits: Int) -> Key { shared.keys.first { $0.bits == bits }! }
}

/// Python's repr of a decrypted number (an int, or a float) as a Double.
func pythonNumber(_ text: String) -> Double { Double(text)! }

func big(_ text: String) -> BigInteger { try! BigInteger(text, radix: 10) }

/// A random signed integer of at most `bits` bits.
func randomSigned(bits: Int) -> BigInteger {
  let magnitude = (try? BigInteger.random(bitWidth: bits)) ?? 0
  return Bool.random() ? magnitude : -magnitude
}
