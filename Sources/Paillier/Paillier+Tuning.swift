import BigNum

extension Paillier {
  /// Process-wide choices that trade memory for speed, set by a tuning
  /// profile (`hekit bench --tune`, `TuningProfile` in the hekit CLI) or
  /// directly.
  ///
  /// ``djnWindowBits`` sets the window of the ``EncryptionMode/djn``
  /// fixed-base tables: a wider window makes each encryption cheaper and the
  /// table larger and slower to build (``djnTableByteCount(keyBits:windowBits:)``);
  /// the trade-off is in <doc:DJNWindow>.
  public enum Tuning {
    /// The window used when nothing is tuned.
    public static let defaultDJNWindowBits = 8
    /// The windows a profile may choose.
    public static let djnWindowBitsRange = 4...14

    private static let window = Locked(defaultDJNWindowBits)

    /// The window, in bits, of the DJN tables built from now on (tables
    /// already built keep theirs).
    ///
    /// - Precondition: the value lies in ``djnWindowBitsRange`` (callers
    ///   check input from users first, as `TuningProfile` does).
    public static var djnWindowBits: Int {
      get { window.withLock { $0 } }
      set {
        precondition(djnWindowBitsRange.contains(newValue), "DJN window \(newValue) outside \(djnWindowBitsRange)")
        window.withLock { $0 = newValue }
      }
    }

    /// The bytes a DJN table takes at a key size and window.
    public static func djnTableByteCount(keyBits: Int, windowBits: Int) -> Int {
      FixedBaseTable.byteCount(
        modulusBitWidth: 2 * keyBits, exponentBitWidth: (keyBits + 1) / 2, windowBits: windowBits)
    }
  }
}
