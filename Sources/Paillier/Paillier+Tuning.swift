import BigNum

extension Paillier {
  /// Process-wide choices that trade memory for speed, set by a tuning
  /// profile (`hekit bench --tune`, `TuningProfile` in the hekit CLI) or
  /// directly.
  ///
  /// ## The DJN window
  ///
  /// ``EncryptionMode/djn`` encryption raises a fixed base to an `n/2`-bit
  /// exponent with one table lookup and one product modulo `n²` per `w`-bit
  /// window, from a table of `⌈(n/2)/w⌉ · (2^w − 1)` residues built on a key's
  /// first encryption. Each extra bit of window saves about `1/w` of the
  /// products of every encryption, roughly doubles the table's memory, and
  /// makes it slower to build:
  ///
  /// | w | products per encryption (n = 3072) | table at 2048 / 3072 / 4096 bits |
  /// |---|---:|---:|
  /// | 6 | 256 | 5.5 / 12.4 / 22.1 MB |
  /// | 8 (default) | 192 | 16.7 / 37.6 / 66.8 MB |
  /// | 10 | 154 | 53.9 / 121 / 215 MB |
  /// | 11 | 140 | 98.5 / 220 / 392 MB |
  /// | 12 | 128 | 180 / 403 / 717 MB |
  ///
  /// A wider window pays when a key encrypts many values (its build cost is
  /// spread over them) and the memory is there; `hekit bench --tune` times
  /// each window on the machine and picks the one that encrypts a given
  /// number of values fastest within a memory budget.
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
