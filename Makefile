# HEKit: two commands for a new user.
#   make demo   install what is missing, build (release), run the main job
#   make test   install what is missing, run the whole test suite
#   make bench  run the benchmark suites next to the raw GMP / NTL floors

SWIFT ?= swift
CC ?= cc
CXX ?= c++
APT_PACKAGES := libgmp-dev libntl-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCH_BIN := Benchmarks/raw/bin

.PHONY: all deps build demo test test-sanitize fuzz bench bench-raw bench-allocs bench-overhead bench-native clean

all: build

# Installs GMP and NTL (headers, libraries, pkg-config files) with apt-get when
# a package is missing; elsewhere says what to install.
deps:
	@if command -v dpkg >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing:$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  fi; \
	elif ! pkg-config --exists gmp 2>/dev/null; then \
	  echo "GMP not found: install GMP and NTL (e.g. 'brew install gmp ntl pkg-config')."; exit 1; \
	fi

build: deps
	$(SWIFT) build -c release --product hekit

demo: build
	"$$($(SWIFT) build -c release --show-bin-path)/hekit" demo

test: deps
	$(SWIFT) test

# The whole suite under AddressSanitizer with LeakSanitizer, in its own build
# folder (the suppressions cover leaks of XCTest and Foundation.Process only).
# ThreadSanitizer is not here yet: its runtime crashes inside its own access
# instrumentation on this toolchain (see the notes of issue 8).
test-sanitize: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/lsan.supp \
	  $(SWIFT) test --scratch-path .build-asan --sanitize=address

# libFuzzer on every reader (Fuzz/, a nested package), under AddressSanitizer
# and LeakSanitizer: each target runs FUZZ_SECONDS on its corpus (the committed
# seeds in Fuzz/Corpus plus valid inputs the target writes itself), and the
# executions are summed in Fuzz/.logs/summary.txt. A crash, leak or hang stops
# make with the input saved under Fuzz/.artifacts/ (see Fuzz/README.md).
FUZZ_TARGETS := FuzzPaillierKeys FuzzPaillierCiphertexts FuzzModel FuzzCSV FuzzBFV
FUZZ_SECONDS ?= 60
FUZZ_RUNTIME = $(firstword $(wildcard $(dir $(realpath $(shell command -v $(SWIFT))))../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-$(shell uname -m).a))
FUZZ_FLAGS = -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xlinker $(FUZZ_RUNTIME) -Xlinker -lstdc++
fuzz: deps
	@test -n "$(FUZZ_RUNTIME)" || { echo "libFuzzer (libclang_rt.fuzzer_no_main) not found next to $(SWIFT)"; exit 1; }
	cd Fuzz && $(SWIFT) build -c release --scratch-path .build $(FUZZ_FLAGS)
	@mkdir -p Fuzz/.logs Fuzz/.artifacts; : > Fuzz/.logs/summary.txt
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p Fuzz/.corpus/$$t; \
	  if [ -d Fuzz/Corpus/$$t ]; then cp Fuzz/Corpus/$$t/* Fuzz/.corpus/$$t/; fi; \
	  HEKIT_FUZZ_SEEDS=Fuzz/.corpus/$$t Fuzz/.build/release/$$t; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  Fuzz/.build/release/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=Fuzz/.artifacts/$$t- Fuzz/.corpus/$$t > Fuzz/.logs/$$t.log 2>&1 \
	    || { tail -40 Fuzz/.logs/$$t.log; exit 1; }; \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' Fuzz/.logs/$$t.log); \
	  echo "$$t $$runs" | tee -a Fuzz/.logs/summary.txt; \
	done; \
	awk '{ total += $$2 } END { print "total executions:", total, "(no crash, leak or hang)" }' Fuzz/.logs/summary.txt

# The raw floors: each Benchmarks/raw/*.c on plain GMP, each *.cpp on NTL.
bench-raw: deps
	@mkdir -p $(BENCH_BIN)
	@set -e; for src in Benchmarks/raw/*.c; do \
	  bin=$(BENCH_BIN)/$$(basename $$src .c); \
	  $(CC) -O2 -o $$bin $$src -lgmp; echo; $$bin; \
	done
	@set -e; for src in Benchmarks/raw/*.cpp; do \
	  [ -e "$$src" ] || continue; \
	  bin=$(BENCH_BIN)/$$(basename $$src .cpp); \
	  $(CXX) -O2 -o $$bin $$src -lntl -lgmp -lpthread; echo; $$bin; \
	done

# Heap allocations per BigNum operation, split into GMP's own and Swift's.
bench-allocs: deps
	@mkdir -p $(BENCH_BIN)
	$(CC) -O2 -shared -fPIC -o $(BENCH_BIN)/libmcount.so Benchmarks/tools/mcount.c -ldl
	cd Benchmarks && $(SWIFT) build -c release --product AllocationProbe
	LD_PRELOAD=$(CURDIR)/$(BENCH_BIN)/libmcount.so "$$(cd Benchmarks && $(SWIFT) build -c release --show-bin-path)/AllocationProbe"

# BigInteger.power against raw mpz_powm, interleaved in one process.
bench-overhead: deps
	cd Benchmarks && $(SWIFT) build -c release --product PowerOverhead
	"$$(cd Benchmarks && $(SWIFT) build -c release --show-bin-path)/PowerOverhead"

bench: deps bench-raw bench-allocs bench-overhead
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --no-progress
	@$(MAKE) --no-print-directory bench-native

# PolyRing's and BFV's suites again, compiled with -target-cpu native (AVX-512
# where the CPU has it, which the NTT's SIMD kernel needs in order to pay), in
# a build folder of their own, so that one make bench prints both builds'
# figures. Packages that depend on HEKit never need the flag: the default build
# is what they get (the scalar kernel, chosen at run time).
bench-native: deps
	@echo "=== PolyRing and BFV compiled for this CPU (-target-cpu native) ==="
	cd Benchmarks && $(SWIFT) package --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native \
	  --allow-writing-to-package-directory benchmark --target PolyRingBenchmarks --target BFVBenchmarks --no-progress

clean:
	rm -rf .build $(BENCH_BIN) Benchmarks/.build
