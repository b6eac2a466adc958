internal import CGMP

/// Overwrites memory that held secret material with zeros before it is
/// released or reused. The stores cannot be dropped as dead: the C shim
/// follows `memset` with a compiler barrier that declares the memory read
/// (BoringSSL's `OPENSSL_cleanse` technique).
///
/// Every wipe of HEKit goes through this function: GMP limbs, random bytes,
/// BFV secrets, seeds and generator states, decoded key bytes.
/// - Parameter buffer: the bytes to zero (nothing happens when it is empty).
public func secureZero(_ buffer: UnsafeMutableRawBufferPointer) {
  guard let base = buffer.baseAddress, buffer.count > 0 else { return }
  cgmp_secure_zero(base, buffer.count)
}

/// Zeroes an array's elements in its own buffer (the buffer is not copied
/// first when the array is its only holder; a shared buffer is copied by
/// Swift's copy-on-write and the other holder's bytes are left as they were).
/// - Parameter array: secret values, such as a seed or key bytes.
public func secureZero<Element: BitwiseCopyable>(_ array: inout [Element]) {
  array.withUnsafeMutableBytes { secureZero($0) }
}
