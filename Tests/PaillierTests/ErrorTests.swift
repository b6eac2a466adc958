import BigNum
import Foundation
import Paillier
import Testing

@Suite("PaillierError")
struct ErrorTests {
  static let all: [PaillierError] = [
    .keyMismatch, .plaintextOutOfRange(limit: 12345), .decodingOverflow,
    .insecureKeySize(bits: 1024, minimum: 2048), .unsupportedKeySize(bits: 2049), .invalidCiphertext,
    .invalidKey("p and q must differ"), .invalidRandomness, .nonFiniteValue, .invalidPrecision,
    .cannotIncreaseExponent(from: -3, to: 0), .notAnInteger(exponent: -2), .doubleOverflow,
    .lengthMismatch(expected: 3, actual: 2), .emptyInput, .malformedData("ciphertext: no \"v\""),
    .invalidThreshold(threshold: 4, parties: 3), .partyOutOfRange(party: 6, parties: 5), .duplicateParty(party: 2),
    .notEnoughShares(have: 2, need: 3), .invalidPartialDecryption(party: 4), .partialKeyMismatch(party: 1),
    .partialCiphertextMismatch(party: 5),
  ]

  @Test("every case has a distinct message a user can act on, through LocalizedError too")
  func messages() {
    let messages = Self.all.map { ($0 as any Error).localizedDescription }
    #expect(Set(messages).count == Self.all.count)
    for (error, message) in zip(Self.all, messages) {
      #expect(message == error.description)
      #expect(message.count > 20)
    }
    #expect(PaillierError.insecureKeySize(bits: 1024, minimum: 2048).description.contains("insecure"))
    #expect(PaillierError.unsupportedKeySize(bits: 2049).description.contains("2048"))
    // Threshold errors name the party, so that a combiner can leave it out.
    #expect(PaillierError.invalidPartialDecryption(party: 4).description.contains("party 4"))
    #expect(PaillierError.notEnoughShares(have: 2, need: 3).description.contains("threshold is 3"))
  }

  @Test("dot products and sums of nothing are refused")
  func emptyInputs() {
    #expect(throws: PaillierError.emptyInput) { try Paillier.Ciphertext.dotProduct([], [BigInteger]()) }
    #expect(throws: PaillierError.emptyInput) { try Paillier.Ciphertext.dotProduct([], [Double]()) }
  }
}
