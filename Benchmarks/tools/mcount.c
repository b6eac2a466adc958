// LD_PRELOAD allocation counter for Benchmarks/AllocationProbe: counts malloc
// and realloc calls, split by caller into libgmp's and the rest (found with
// dladdr on the return address). Read with mcount_read(&gmp, &other).
// calloc is not wrapped: dlsym itself calls it, and neither GMP nor the Swift
// runtime uses it for integers.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
static long gmp_calls, other_calls;
static void *(*real_malloc)(size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_calloc)(size_t, size_t);
static __thread int busy;
static void classify(void *ret) {
  if (busy) return;
  busy = 1;
  Dl_info info;
  if (dladdr(ret, &info) && info.dli_fname && strstr(info.dli_fname, "libgmp")) gmp_calls++; else other_calls++;
  busy = 0;
}
void *malloc(size_t n) { if (!real_malloc) real_malloc = dlsym(RTLD_NEXT, "malloc"); classify(__builtin_return_address(0)); return real_malloc(n); }
void *realloc(void *p, size_t n) { if (!real_realloc) real_realloc = dlsym(RTLD_NEXT, "realloc"); classify(__builtin_return_address(0)); return real_realloc(p, n); }
void mcount_read(long *gmp, long *other) { *gmp = gmp_calls; *other = other_calls; }
