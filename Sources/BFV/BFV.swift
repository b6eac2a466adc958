/// The Brakerski/Fan–Vercauteren scheme in RNS form: SIMD-batched integer
/// arithmetic modulo t on encrypted vectors of N slots.
///
/// ```swift
/// let parameters = try BFV.Parameters(preset: .n8192)
/// let secretKey = BFV.SecretKey(parameters: parameters)
/// let publicKey = secretKey.publicKey()
/// let encoder = BFV.Encoder(parameters: parameters)
/// let x = try publicKey.encrypt(try encoder.encode([1, 2, 3] as [UInt64]))
/// let y = try x + x
/// let values = try encoder.decode(try secretKey.decrypt(y))  // [2, 4, 6, 0, ...]
/// ```
///
/// - Warning: BFV is IND-CPA only and malleable. A decrypted result must not
///   go back to the party that computed on it unless the result was flooded
///   with noise first (IND-CPA^D attacks recover the secret key otherwise).
public enum BFV {}
