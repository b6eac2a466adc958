import Foundation
import PolyRing

/// `HEKIT_NTT_KERNEL=scalar|simd8` in a benchmark process: the NTT kernel to
/// measure instead of the one this build was compiled for
/// (``NTTKernel/compiledFor``). Call it first in a suite, before any ring is
/// built. An unknown name stops the run with a message.
public func applyKernelChoiceFromEnvironment() {
  guard let name = ProcessInfo.processInfo.environment["HEKIT_NTT_KERNEL"], !name.isEmpty else { return }
  guard let kernel = NTTKernel(rawValue: name) else {
    FileHandle.standardError.write(Data("HEKIT_NTT_KERNEL=\(name): not a kernel (scalar or simd8)\n".utf8))
    exit(1)
  }
  NTTKernel.prefer(kernel)
}
