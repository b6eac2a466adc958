import BigNum
import Paillier
import Testing

/// The Paillier example in README.md, line for line (with a 2048-bit key to
/// keep the debug test quick), its printed output asserted.
@Test("README Paillier example")
func readmePaillierExample() throws {
  let privateKey = try Paillier.PrivateKey.generate(bits: 2048)
  let publicKey = privateKey.publicKey                      // all a server needs
  let salaries = try [52_000, 61_500, 48_250].map { try publicKey.encrypt($0) }
  let total = try Paillier.Ciphertext.sum(salaries)         // computed on ciphertexts
  let raise = try total * 1.03 + 1_000.0                    // plaintext scalars
  let lines = [
    "\(try privateKey.decrypt(total))",
    "\(try privateKey.decryptDouble(raise))",
  ]
  #expect(lines == ["161750", "167602.5"])
}
