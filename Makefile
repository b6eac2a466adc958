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

.PHONY: all deps build demo test test-sanitize bench bench-raw bench-allocs bench-overhead clean

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

clean:
	rm -rf .build $(BENCH_BIN) Benchmarks/.build
