/// HEKit: computing on encrypted data.
///
/// `import HEKit` brings in every public layer: ``BigInteger`` and
/// ``SecureRandom`` from BigNum today; Paillier, BFV and EncryptedML as they land.
@_exported import BigNum
@_exported import Paillier
@_exported import PolyRing
@_exported import BFV
@_exported import EncryptedML
@_exported import StrictJSON

/// HEKit's release, as `hekit --version` prints it.
public enum HEKitVersion {
  /// The semantic version of this build.
  public static let string = "0.1.0"
}
