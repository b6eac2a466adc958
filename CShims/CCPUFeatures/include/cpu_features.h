#ifndef HEKIT_CPU_FEATURES_H
#define HEKIT_CPU_FEATURES_H

// What the Swift code importing this header was compiled for. The functions
// are static inline on purpose: Swift's Clang importer evaluates them with
// the importing module's target CPU (swiftc -target-cpu passes through), so
// they describe the code that module generates, not this C target's flags.

/// 1 when compiled for a CPU with AVX-512 F and DQ (512-bit lanes of 64-bit
/// integers), where PolyRing's eight-lane kernels outrun the scalar ones.
static inline int hekit_compiled_for_avx512(void) {
#if defined(__AVX512F__) && defined(__AVX512DQ__)
  return 1;
#else
  return 0;
#endif
}

#endif
