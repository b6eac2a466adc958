// The scalar negacyclic NTT kernels: Harvey's lazy butterflies with Shoup
// twiddles, one butterfly at a time.
//
// Every valid modulus has q < 2^62, so values below 4q fit a word. The forward
// transform (Cooley–Tukey, natural order in, bit-reversed out) keeps its values
// in [0, 4q) between stages; the inverse (Gentleman–Sande, bit-reversed in,
// natural order out) keeps them in [0, 2q). Both finish in [0, q).
// No allocation, closure call or bounds check inside the loops: the table's
// buffer is taken once per transform.
//
// `@_optimize(size)` keeps LLVM's loop vectorizer off these loops: without a
// CPU flag it would emit SSE2 code that emulates 64-bit multiplies and
// unsigned compares, measured 1.7× slower (N = 4096: 67 µs against 39 µs).

extension NTTTables {
  /// Forward negacyclic NTT of one limb, in place, with the kernel measured
  /// fastest for this process (``NTTKernel/preferred``).
  /// - Parameter a: N values in [0, 4q); on return, the NTT in bit-reversed
  ///   order, in [0, q).
  /// - Complexity: (N/2)·log2(N) butterflies, each one Shoup multiplication.
  func forward(_ a: UnsafeMutablePointer<UInt64>) {
    switch kernel {
    case .scalar: forwardScalar(a)
    case .simd8: forwardSIMD8(a)
    }
  }

  /// Inverse negacyclic NTT of one limb, in place, N⁻¹ included.
  /// - Parameter a: N values in [0, 2q), bit-reversed order (as ``forward(_:)``
  ///   leaves them); on return, coefficients in natural order, in [0, q).
  /// - Complexity: (N/2)·log2(N) butterflies, each one Shoup multiplication,
  ///   plus N/2 for N⁻¹.
  func inverse(_ a: UnsafeMutablePointer<UInt64>) {
    switch kernel {
    case .scalar: inverseScalar(a)
    case .simd8: inverseSIMD8(a)
    }
  }

  /// ``forward(_:)`` one butterfly at a time.
  func forwardScalar(_ a: UnsafeMutablePointer<UInt64>) {
    forwardTable.withUnsafeBufferPointer { table in
      NTTTables.forwardScalar(a, table.baseAddress.unsafelyUnwrapped, degree, modulus.value)
    }
  }

  /// The kernel of ``forwardScalar(_:)``: a function of its own (no closure),
  /// so that `@_optimize(size)` applies to its loops.
  @inline(never) @_optimize(size)
  static func forwardScalar(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64
  ) {
    let twoQ = q &<< 1
    do {
      let twq = tw + n
      var m = 1
      var t = n &>> 1
      while t > 1 {
        for i in 0..<m {
          let w = tw[m &+ i]
          let wq = twq[m &+ i]
          let x = a + 2 &* i &* t
          let y = x + t
          for j in 0..<t {
            // x[j], y[j] in [0, 4q).
            var u = x[j]
            u = Swift.min(u, u &- twoQ)  // [0, 2q)
            let v = y[j]
            let product = v &* w &- v.multipliedFullWidth(by: wq).high &* q  // [0, 2q)
            x[j] = u &+ product  // [0, 4q)
            y[j] = u &- product &+ twoQ  // (0, 4q)
          }
        }
        m &<<= 1
        t &>>= 1
      }
      // Last stage (t = 1, m = N/2): pairs (a[2i], a[2i+1]), outputs reduced to [0, q).
      for i in 0..<m {
        let w = tw[m &+ i]
        let wq = twq[m &+ i]
        let x = a + 2 &* i
        var u = x[0]
        u = Swift.min(u, u &- twoQ)  // [0, 2q)
        let v = x[1]
        let product = v &* w &- v.multipliedFullWidth(by: wq).high &* q  // [0, 2q)
        var s = u &+ product  // [0, 4q)
        s = Swift.min(s, s &- twoQ)  // [0, 2q)
        var d = u &- product &+ twoQ  // (0, 4q)
        d = Swift.min(d, d &- twoQ)
        x[0] = Swift.min(s, s &- q)  // [0, q)
        x[1] = Swift.min(d, d &- q)
      }
    }
  }

  /// ``inverse(_:)`` one butterfly at a time.
  func inverseScalar(_ a: UnsafeMutablePointer<UInt64>) {
    inverseTable.withUnsafeBufferPointer { table in
      NTTTables.inverseScalar(
        a, table.baseAddress.unsafelyUnwrapped, degree, modulus.value, inverseDegree)
    }
  }

  /// The kernel of ``inverseScalar(_:)``, a function of its own as above.
  @inline(never) @_optimize(size)
  static func inverseScalar(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64,
    _ inverseDegree: ShoupConstant
  ) {
    let twoQ = q &<< 1
    let nInverse = inverseDegree.value
    let nInverseQ = inverseDegree.quotient
    do {
      let twq = tw + n
      var t = 1
      var h = n &>> 1
      while h > 1 {
        for i in 0..<h {
          let w = tw[h &+ i]
          let wq = twq[h &+ i]
          let x = a + 2 &* i &* t
          let y = x + t
          for j in 0..<t {
            // x[j], y[j] in [0, 2q).
            let u = x[j]
            let v = y[j]
            let s = u &+ v  // [0, 4q)
            let d = u &- v &+ twoQ  // (0, 4q)
            x[j] = Swift.min(s, s &- twoQ)  // [0, 2q)
            y[j] = d &* w &- d.multipliedFullWidth(by: wq).high &* q  // [0, 2q)
          }
        }
        t &<<= 1
        h &>>= 1
      }
      // Last stage (h = 1, t = N/2): twiddle ψ^-bitrev(1)·N⁻¹ and N⁻¹ alone.
      let w = tw[1]
      let wq = twq[1]
      let y = a + t
      for j in 0..<t {
        let u = a[j]
        let v = y[j]
        let s = u &+ v  // [0, 4q)
        let d = u &- v &+ twoQ  // (0, 4q)
        let sn = s &* nInverse &- s.multipliedFullWidth(by: nInverseQ).high &* q  // [0, 2q)
        let dn = d &* w &- d.multipliedFullWidth(by: wq).high &* q  // [0, 2q)
        a[j] = Swift.min(sn, sn &- q)  // [0, q)
        y[j] = Swift.min(dn, dn &- q)
      }
    }
  }
}
