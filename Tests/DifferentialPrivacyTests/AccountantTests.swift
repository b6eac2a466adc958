import DifferentialPrivacy
import Foundation
import Testing

/// zCDP composition over releases (Bun and Steinke 2016).
@Suite("Privacy accountant")
struct AccountantTests {
  @Test("rounds of the per-round Gaussian budget spend exactly the total (ε, δ)")
  func perRoundComposes() throws {
    for (epsilon, delta, rounds) in [(1.0, 1e-5, 10), (8.0, 1e-6, 50), (0.5, 1e-9, 1), (3.0, 1e-5, 7)] {
      let round = try DifferentialPrivacy.Accountant.perRound(epsilon: epsilon, delta: delta, rounds: rounds)
      var accountant = DifferentialPrivacy.Accountant()
      for _ in 0..<rounds { try accountant.spend(round) }
      #expect(accountant.releases == rounds)
      #expect(abs(try accountant.epsilon(delta: delta) - epsilon) <= 1e-9 * epsilon)
      // One round alone spends less than the whole.
      if rounds > 1, case .gaussian(let e, _) = round { #expect(e < epsilon) }
    }
  }

  @Test("hand-checked values: ε of ρ at δ, Laplace as ε²/2-zCDP")
  func values() throws {
    var accountant = DifferentialPrivacy.Accountant()
    try accountant.spend(rho: 0.5)
    try accountant.spend(rho: 0.5)
    // ρ = 1, δ = e^-4: ε = 1 + 2·√4 = 5.
    #expect(abs(try accountant.epsilon(delta: exp(-4)) - 5) < 1e-12)
    var laplace = DifferentialPrivacy.Accountant()
    try laplace.spend(.laplace(epsilon: 2))
    #expect(laplace.rho == 2)
    // The Gaussian mechanism's own ρ: (√(l+ε) − √l)², with l = ln(1/δ).
    var gaussian = DifferentialPrivacy.Accountant()
    try gaussian.spend(.gaussian(epsilon: 1, delta: 1e-5))
    let l = log(1e5)
    #expect(abs(gaussian.rho - pow((l + 1).squareRoot() - l.squareRoot(), 2)) < 1e-15)
  }

  @Test("bad budgets are refused with typed errors")
  func refusals() throws {
    var accountant = DifferentialPrivacy.Accountant()
    for bad in [0, -1, Double.nan, Double.infinity] {
      #expect(throws: DifferentialPrivacyError.self) { try accountant.spend(rho: bad) }
    }
    #expect(throws: DifferentialPrivacyError.self) { try accountant.spend(.laplace(epsilon: -1)) }
    #expect(throws: DifferentialPrivacyError.self) { try accountant.epsilon(delta: 1) }
    #expect(throws: DifferentialPrivacyError.self) { try DifferentialPrivacy.Accountant.perRound(epsilon: 1, delta: 1e-5, rounds: 0) }
    #expect(throws: DifferentialPrivacyError.self) { try DifferentialPrivacy.Accountant.perRound(epsilon: 1, delta: 2, rounds: 3) }
    #expect(accountant.releases == 0 && accountant.rho == 0)
  }
}
