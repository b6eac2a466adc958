// HEKit: computing on encrypted data. `import HEKit` brings in every library
// layer; each is also a product of its own for code that needs only one.
@_exported import BFV
@_exported import BigNum
@_exported import DifferentialPrivacy
@_exported import EncryptedAnalytics
@_exported import EncryptedScoring
@_exported import HEKitFormats
@_exported import Paillier
@_exported import PolyRing
@_exported import StrictJSON
@_exported import Tabular
