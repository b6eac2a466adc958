import BigNum
import Testing

@testable import PolyRing

/// The eight-lane RNS loops (RNSKernels+SIMD.swift) give the scalar loops'
/// results bit for bit, whichever the process would pick, for the shapes of
/// BFV's products at every preset and for edge values.
@Suite struct LaneKernelTests {
  /// (q bit widths, P bit widths): the presets' q and their P over q, and HPS's P.
  static let shapes: [([Int], [Int])] = [
    ([36, 36, 37], [61, 61]),
    ([43, 43, 44, 44, 44], [61, 61, 61, 61]),
    ([43, 43, 44, 44, 44], [61, 61, 61, 61, 61]),
    ([48, 48, 48, 49, 49, 49, 49, 49, 49], [Int](repeating: 61, count: 8)),
    ([30], [61]),
  ]

  static func words(_ context: PolyContext, _ label: UInt8, edges: Bool) -> [UInt64] {
    var generator = testGenerator(label)
    var data = (Sampler.uniform(in: context, using: &generator) as Poly<Coeff>).data
    if edges {
      // 0, 1, q − 1 and q/2 ± 1 in the first coefficients of every limb.
      for (i, modulus) in context.moduli.enumerated() {
        let q = modulus.value
        for (j, v) in [0, 1, q - 1, q / 2, q / 2 + 1, q / 2 - 1].enumerated() {
          data[i * context.degree + j] = v
        }
      }
    }
    return data
  }

  @Test(arguments: 0..<shapes.count)
  func conversionsMatch(_ shape: Int) throws {
    let degree = 64
    let (qBits, pBits) = Self.shapes[shape]
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: qBits + pBits, degree: degree)
    let q = try PolyContext(degree: degree, moduli: Array(primes[..<qBits.count]))
    let p = try PolyContext(degree: degree, moduli: Array(primes[qBits.count...]))
    for (source, target) in [(q, p), (p, q)] {
      let kernel = try BaseConverter(from: source, to: target).kernel
      // The presets' shapes (0, 1, 2) take the eight-lane loops.
      #expect(kernel.lanesFit || shape > 2)
      guard kernel.lanesFit else { continue }
      for edges in [false, true] {
        let x = Self.words(source, UInt8(90 + shape), edges: edges)
        var lanes = [UInt64](repeating: 0, count: target.wordCount)
        var scalar = lanes
        x.withUnsafeBufferPointer { x in
          lanes.withUnsafeMutableBufferPointer { kernel.convertLanes(x.baseAddress!, into: $0.baseAddress!) }
          scalar.withUnsafeMutableBufferPointer { kernel.convertScalar(x.baseAddress!, into: $0.baseAddress!) }
        }
        #expect(lanes == scalar, "\(source.moduli.count) → \(target.moduli.count) primes, edges \(edges)")
      }
    }
  }

  @Test(arguments: 0..<shapes.count)
  func scalingsMatch(_ shape: Int) throws {
    let degree = 64
    let (qBits, pBits) = Self.shapes[shape]
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: qBits + pBits, degree: degree)
    let q = try PolyContext(degree: degree, moduli: Array(primes[..<qBits.count]))
    let p = try PolyContext(degree: degree, moduli: Array(primes[qBits.count...]))
    let pq = try p.joined(with: q)
    let scalers: [(RNSScaler, PolyContext, Int)] = [
      (try RNSScaler(from: q, numerator: p.basis.product, outputModuli: p.moduli), q, q.basis.count),
      (try RNSScaler(from: pq, scaledCount: p.basis.count, numerator: 1_032_193), pq, p.basis.count),
      (try RNSScaler(from: q, scaledCount: q.basis.count, numerator: 65537), q, q.basis.count),
      (try RNSScaler(from: q.joined(with: p), scaledCount: q.basis.count, numerator: 786_433), try q.joined(with: p), q.basis.count),
    ]
    for (scaler, source, scaledCount) in scalers {
      let kernel = scaler.kernel
      // The presets' shapes (0, 1) take the eight-lane loops.
      #expect(kernel.lanesFit || shape > 1, "scaled \(scaledCount) of \(source.moduli.map(\.bitWidth))")
      guard kernel.lanesFit else { continue }
      let outputs = scaler.outputModuli.count
      let n = degree
      for edges in [false, true] {
        let x = Self.words(source, UInt8(100 + shape), edges: edges)
        let hasKept = source.basis.count > scaledCount
        for withKept in hasKept ? [true, false] : [false] {
          var lanes = [UInt64](repeating: 0, count: outputs * n)
          var scalar = lanes
          x.withUnsafeBufferPointer { x in
            let base = x.baseAddress!
            let kept = withKept ? base + scaledCount * n : nil
            lanes.withUnsafeMutableBufferPointer { kernel.scaleLanes(base, kept: kept, into: $0.baseAddress!, degree: n) }
            scalar.withUnsafeMutableBufferPointer { kernel.scaleScalar(base, kept: kept, into: $0.baseAddress!, degree: n) }
          }
          #expect(lanes == scalar, "scaling \(scaledCount) of \(source.moduli.count) primes, kept \(withKept), edges \(edges)")
        }
      }
    }
  }

  /// The key switch's two sums of products: eight lanes, one at a time and
  /// a plain UInt128 reference agree, with and without the addends.
  @Test(arguments: [1, 3, 5, 9, 16])
  func sumsOfProductsMatch(_ terms: Int) throws {
    let degree = 64
    for bits in [36, 44, 59, 61] {
      let modulus = try Modulus.nttFriendlyPrimes(bitWidths: [bits], degree: degree)[0]
      let q = UInt128(modulus.value)
      let context = try PolyContext(degree: degree, moduli: [modulus])
      // Rows 0..<terms: x; terms..<3·terms: y (b rows, then a rows); then add0, add1.
      let rowCount = 3 * terms + 2
      let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: rowCount * degree)
      defer { buffer.deallocate() }
      for r in 0..<rowCount {
        let row = Self.words(context, UInt8(110 + r % 100), edges: r % 3 == 0)
        (buffer + r * degree).initialize(from: row, count: degree)
      }
      let pointers = UnsafeMutablePointer<UnsafePointer<UInt64>>.allocate(capacity: rowCount)
      defer { pointers.deallocate() }
      for r in 0..<rowCount { pointers[r] = UnsafePointer(buffer + r * degree) }
      let outputs = UnsafeMutablePointer<UInt64>.allocate(capacity: 4 * degree)
      defer { outputs.deallocate() }
      // The eight-lane loop runs only where its 32-bit columns cannot overflow.
      let fits = columnSumsFit(
        Array(repeating: (bits: bits, constantBits: bits), count: terms) + [(bits: bits, constantBits: 1)])
      #expect(fits || bits > 49)  // the presets up to N = 16384 (primes up to 49 bits)
      for withAddends in [true, false] {
        let add0: UnsafePointer<UInt64>? = withAddends ? pointers[3 * terms] : nil
        let add1: UnsafePointer<UInt64>? = withAddends ? pointers[3 * terms + 1] : nil
        modulus.sumsOfProductsLanes(
          pointers, pointers + terms, terms: terms, adding: add0, add1, into: outputs, outputs + degree,
          count: degree)
        modulus.sumsOfProductsScalar(
          pointers, pointers + terms, terms: terms, adding: add0, add1, into: outputs + 2 * degree,
          outputs + 3 * degree, count: degree)
        for m in 0..<degree {
          var s0: UInt128 = withAddends ? UInt128(buffer[3 * terms * degree + m]) : 0
          var s1: UInt128 = withAddends ? UInt128(buffer[(3 * terms + 1) * degree + m]) : 0
          for i in 0..<terms {
            let x = UInt128(buffer[i * degree + m])
            let b = UInt128(buffer[(terms + i) * degree + m])
            let a = UInt128(buffer[(2 * terms + i) * degree + m])
            s0 += x * b % q
            s1 += x * a % q
          }
          let want0 = UInt64(s0 % q)
          let want1 = UInt64(s1 % q)
          #expect(outputs[2 * degree + m] == want0 && outputs[3 * degree + m] == want1)
          if fits { #expect(outputs[m] == want0 && outputs[degree + m] == want1, "\(bits) bits, \(terms) terms") }
        }
      }
    }
  }

  /// The pointwise tensor product (Karatsuba cross term): the public entry
  /// (whichever kernel the process runs), the eight-lane loop and plain
  /// UInt128 arithmetic agree, for wide (≤ 61-bit) and narrow (62-bit) primes.
  @Test func tensorProductMatches() throws {
    let degree = 64
    for bits in [36, 44, 61, 62] {
      let modulus = try Modulus.nttFriendlyPrimes(bitWidths: [bits], degree: degree)[0]
      let q = UInt128(modulus.value)
      let context = try PolyContext(degree: degree, moduli: [modulus])
      let inputs = (0..<4).map { Self.words(context, UInt8(140 + $0), edges: $0 % 2 == 0) }
      var expected = [[UInt64]](repeating: [], count: 3)
      for m in 0..<degree {
        let (x0, x1, y0, y1) = (UInt128(inputs[0][m]), UInt128(inputs[1][m]), UInt128(inputs[2][m]), UInt128(inputs[3][m]))
        expected[0].append(UInt64(x0 * y0 % q))
        expected[1].append(UInt64((x0 * y1 % q + x1 * y0 % q) % q))
        expected[2].append(UInt64(x1 * y1 % q))
      }
      for lanes in [false, true] {
        var (a0, a1, cross) = (inputs[0], inputs[1], [UInt64](repeating: 0, count: degree))
        a0.withUnsafeMutableBufferPointer { a0 in
          a1.withUnsafeMutableBufferPointer { a1 in
            cross.withUnsafeMutableBufferPointer { c in
              let (x0, x1, out) = (a0.baseAddress!, a1.baseAddress!, c.baseAddress!)
              if lanes {
                modulus.multiplyTensorSIMD8(x0, x1, inputs[2], inputs[3], out, count: degree)
              } else {
                context.multiplyTensor(x0, x1, by: inputs[2], inputs[3], cross: out, limbs: 0..<1)
              }
            }
          }
        }
        #expect(a0 == expected[0], "\(bits)-bit prime, lanes \(lanes): a0·b0")
        #expect(cross == expected[1], "\(bits)-bit prime, lanes \(lanes): a0·b1 + a1·b0")
        #expect(a1 == expected[2], "\(bits)-bit prime, lanes \(lanes): a1·b1")
      }
    }
  }
}
