// libFuzzer's driver entry point (compiler-rt, LLVM 11 and later), for
// executables that keep their own main: SwiftPM's executable targets do.
#ifndef FUZZ_DRIVER_H
#define FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
