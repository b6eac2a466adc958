# HEKit: two commands for a new user.
#   make demo   install what is missing, build (release, for this CPU; PORTABLE=1
#               for any CPU of the architecture), run the main job
#   make test   install what is missing, run the whole test suite
#   make bench  run the benchmark suites next to the raw GMP / NTL floors and write
#               the report Benchmarks/results/latest.{md,json,svg,png}
#   make bench-peers  (optional, needs Python) HEKit next to TenSEAL, SEAL and
#               OpenFHE in one run: Benchmarks/results/peers-latest.{md,json}

SWIFT ?= swift
CC ?= cc
CXX ?= c++
APT_PACKAGES := libgmp-dev libntl-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCH_BIN := Benchmarks/raw/bin
# The report and its inputs: the floors' JSON and the run's start (time, load) under BENCH_BIN.
BENCH_RESULTS := Benchmarks/results
BENCH_FLOORS := $(BENCH_BIN)/floors
BENCH_RUN := $(BENCH_BIN)/run
BENCH_CFLAGS := -O2
# package-benchmark: the run is stored as the baseline BENCH_BASELINE
# (Benchmarks/.benchmarkBaselines/<suite>/latest/results.json), which the report
# reads; BENCH_PACKAGE_FLAGS go to `swift package` and `swift build` of the
# benchmark package (e.g. --scratch-path DIR for a build folder of one's own).
BENCH_BASELINE := latest
BENCH_PACKAGE_FLAGS ?=
BENCH_PLUGIN = cd Benchmarks && $(SWIFT) package $(BENCH_PACKAGE_FLAGS) --allow-writing-to-package-directory benchmark
# Regression thresholds per benchmark live in the suites (Benchmarks/Support);
# the committed baseline is Benchmarks/Baselines/<suite>.json.gz (package-benchmark's
# baseline, gzipped: its histograms are mostly zeros).
BENCH_CHECK_FLAGS ?=
# The second build of the PolyRing and BFV suites (make bench-native): compiled
# for this machine's CPU, in a build folder of its own, stored as the baseline
# $(BENCH_BASELINE)-native, which the report shows as the `native` build.
BENCH_NATIVE_PACKAGE_FLAGS ?= --scratch-path .build-native -Xswiftc -target-cpu -Xswiftc native
BENCH_NATIVE_PLUGIN = cd Benchmarks && $(SWIFT) package $(BENCH_NATIVE_PACKAGE_FLAGS) \
  --allow-writing-to-package-directory benchmark
BENCH_NATIVE_SUITES := --target PolyRingBenchmarks --target BFVBenchmarks

.PHONY: all deps build demo test test-sanitize test-asan test-tsan fuzz bench bench-raw bench-allocs bench-overhead clean \
  bench-start bench-report bench-check bench-check-selftest bench-unpack-baselines bench-baseline bench-test \
  bench-native bench-png-deps bench-peers

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

# make build and make demo compile hekit for this machine's CPU
# (-target-cpu native: AVX-512 where the CPU has it, which PolyRing's eight-lane
# NTT and RNS kernels need to pay; the kernel follows the build, nothing is
# timed at start-up). PORTABLE=1 builds for the baseline CPU of the
# architecture instead, a binary that runs on any machine of it.
PORTABLE ?=
NATIVE_ARCHES := x86_64 aarch64 arm64
RELEASE_FLAGS := $(if $(PORTABLE),,$(if $(filter $(shell uname -m),$(NATIVE_ARCHES)),-Xswiftc -target-cpu -Xswiftc native))

build: deps
	$(SWIFT) build -c release $(RELEASE_FLAGS) --product hekit

demo: build
	"$$($(SWIFT) build -c release $(RELEASE_FLAGS) --show-bin-path)/hekit" demo

test: deps
	$(SWIFT) test

# The whole suite under each sanitizer, one build folder each (the CLI tests
# run the hekit built there, so the command line is checked too):
#   test-asan  AddressSanitizer + LeakSanitizer (.build-asan): out-of-bounds
#              and use-after-free accesses in Swift and C (GMP shim, NTL shim),
#              leaks at exit, in the library and in the hekit processes the
#              CLI tests start. Suppressed (Tests/Sanitizers/lsan.supp, each
#              explained there): leaks of XCTest, Foundation.Process, and
#              swift-foundation's read buffer for empty files.
#   test-tsan  ThreadSanitizer (.build-tsan): data races between the threads of
#              parallelMap, task groups and the shared lazily built tables
#              (DJN, NTT, tuning), in the library and in the hekit processes
#              the CLI tests start. Tests/Sanitizers/tsan.supp is for reports
#              from the toolchain or Foundation only, each explained there;
#              it is empty: the whole suite ran without a report.
# Both take far longer than make test: at load 6 to 15 on 2 cores, ASan took
# 20 min (a 7 min build, then 8 min per run) and TSan 21 min (a 7 min build,
# then the suite) where make test takes 1 to 4. They are not part
# of .ci/run (90 min limit, and its make test must stay well under 15 min):
# run them before a release or after touching concurrency or unsafe code.
test-sanitize: test-asan test-tsan

test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/lsan.supp \
	  $(SWIFT) test --scratch-path .build-asan --sanitize=address

test-tsan: deps
	TSAN_OPTIONS="suppressions=$(CURDIR)/Tests/Sanitizers/tsan.supp halt_on_error=1 second_deadlock_stack=1" \
	  $(SWIFT) test --scratch-path .build-tsan --sanitize=thread

# libFuzzer on every reader (Fuzz/, a nested package), under AddressSanitizer
# and LeakSanitizer: each target runs FUZZ_SECONDS on its corpus (the committed
# seeds in Fuzz/Corpus plus valid inputs the target writes itself), and the
# executions are summed in Fuzz/.logs/summary.txt. A crash, leak or hang stops
# make with the input saved under Fuzz/.artifacts/ (see Fuzz/README.md).
FUZZ_TARGETS := FuzzPaillierKeys FuzzPaillierCiphertexts FuzzBatchFiles FuzzModel FuzzCSV FuzzBFV FuzzBFVFiles FuzzThresholdShares
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

# HEKit next to its peers (Benchmarks/Peers/README.md): TenSEAL's CKKS batch
# scoring against hekit encrypt/score/decrypt, and SEAL's (through TenSEAL's
# sealapi) and OpenFHE's BFV operations against hekit bench, in one run, every
# process pinned to core PEERS_CORE with one thread. Optional: nothing else
# needs Python. The virtualenv lives in .build-peers/venv (ignored); a Python
# 3.10 is preferred, the only one OpenFHE's wheel imports under (without it,
# OpenFHE is reported skipped). Writes Benchmarks/results/peers-latest.{md,json}.
PEERS_VENV := .build-peers/venv
PEERS_CORE ?= 1
PEERS_FLAGS ?=
PEERS_PYTHON ?= $(firstword $(foreach p,python3.10 $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) python3,\
  $(if $(shell $(p) -c 'import venv' >/dev/null 2>&1 && echo ok),$(p))))
bench-peers: deps
	@test -n "$(PEERS_PYTHON)" || { echo "bench-peers needs Python 3 with venv (apt-get install python3-venv)"; exit 1; }
	@test -x $(PEERS_VENV)/bin/python || $(PEERS_PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install -q -r Benchmarks/Peers/requirements.txt
	$(SWIFT) build -c release $(RELEASE_FLAGS) --product hekit
	$(PEERS_VENV)/bin/python Benchmarks/Peers/compare.py --core $(PEERS_CORE) $(PEERS_FLAGS) \
	  --hekit "$$($(SWIFT) build -c release $(RELEASE_FLAGS) --show-bin-path)/hekit"

# The raw floors: each Benchmarks/raw/*.c on plain GMP, each *.cpp on NTL; each
# prints its table and writes its rows as JSON (BENCH_FLOORS) for the report.
bench-raw: deps
	@mkdir -p $(BENCH_BIN) $(BENCH_FLOORS)
	@set -e; for src in Benchmarks/raw/*.c; do \
	  name=$$(basename $$src .c); bin=$(BENCH_BIN)/$$name; \
	  $(CC) $(BENCH_CFLAGS) -o $$bin $$src -lgmp; echo; $$bin --json $(BENCH_FLOORS)/$$name.json; \
	done
	@set -e; for src in Benchmarks/raw/*.cpp; do \
	  [ -e "$$src" ] || continue; \
	  name=$$(basename $$src .cpp); bin=$(BENCH_BIN)/$$name; \
	  $(CXX) $(BENCH_CFLAGS) -o $$bin $$src -lntl -lgmp -lpthread; echo; $$bin --json $(BENCH_FLOORS)/$$name.json; \
	done

# Heap allocations per BigNum operation, split into GMP's own and Swift's.
bench-allocs: deps
	@mkdir -p $(BENCH_BIN)
	$(CC) -O2 -shared -fPIC -o $(BENCH_BIN)/libmcount.so Benchmarks/tools/mcount.c -ldl
	cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --product AllocationProbe
	LD_PRELOAD=$(CURDIR)/$(BENCH_BIN)/libmcount.so "$$(cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --show-bin-path)/AllocationProbe"

# BigInteger.power against raw mpz_powm, interleaved in one process.
bench-overhead: deps
	cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --product PowerOverhead
	"$$(cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --show-bin-path)/PowerOverhead"

bench: deps bench-png-deps bench-start bench-raw bench-allocs bench-overhead
	$(BENCH_PLUGIN) baseline update $(BENCH_BASELINE) --no-progress
	$(BENCH_PLUGIN) baseline read $(BENCH_BASELINE) --no-progress
	@$(MAKE) --no-print-directory bench-native
	@$(MAKE) --no-print-directory bench-report

# PolyRing's and BFV's suites again, compiled with -target-cpu native (AVX-512
# where the CPU has it, which the NTT's SIMD kernel needs in order to pay), so
# that one make bench prints both builds' figures. A package that depends on
# HEKit gets the scalar kernel unless it builds with the same flag (then the
# eight-lane kernel, chosen by the build's target, see Benchmarks/README.md).
# The first run builds the benchmark package a second time.
bench-native: deps
	@echo "=== PolyRing and BFV compiled for this CPU (-target-cpu native) ==="
	$(BENCH_NATIVE_PLUGIN) baseline update $(BENCH_BASELINE)-native $(BENCH_NATIVE_SUITES) --no-progress
	$(BENCH_NATIVE_PLUGIN) baseline read $(BENCH_BASELINE)-native $(BENCH_NATIVE_SUITES) --no-progress

# When the run started and how busy the machine was, for the report's header.
bench-start:
	@mkdir -p $(BENCH_RUN)
	@date +%s > $(BENCH_RUN)/started
	@cat /proc/loadavg > $(BENCH_RUN)/loadavg 2>/dev/null || : > $(BENCH_RUN)/loadavg

# The report from the stored run and the floors: latest.json (machine-readable),
# latest.md (tables), latest.svg (chart; latest.png too when rsvg-convert exists).
# A baseline named $(BENCH_BASELINE)-native (the suites built for this CPU) is
# included as the `native` build when present.
bench-report:
	cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --product BenchReport
	"$$(cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --show-bin-path)/BenchReport" collect \
	  --baselines Benchmarks/.benchmarkBaselines --baseline $(BENCH_BASELINE)=default \
	  --optional-baseline $(BENCH_BASELINE)-native=native \
	  --flags "default=swift package benchmark: -c release (-O, whole module); floors: $(CC) / $(CXX) $(BENCH_CFLAGS)" \
	  --flags "native=-c release -Xswiftc -target-cpu -Xswiftc native" \
	  --floors $(BENCH_FLOORS) --swift "$$($(SWIFT) --version 2>&1 | head -1)" \
	  --load-start "$$(cat $(BENCH_RUN)/loadavg 2>/dev/null)" --started "$$(cat $(BENCH_RUN)/started 2>/dev/null)" \
	  --output $(BENCH_RESULTS)
	@svg=$(BENCH_RESULTS)/latest.svg; png=$(BENCH_RESULTS)/latest.png; \
	if command -v rsvg-convert >/dev/null 2>&1; then rsvg-convert -o $$png $$svg && echo "wrote $$png (rsvg-convert)"; \
	elif command -v inkscape >/dev/null 2>&1; then inkscape $$svg --export-filename=$$png && echo "wrote $$png (inkscape)"; \
	elif convert -version 2>/dev/null | grep -q ImageMagick; then convert $$svg $$png && echo "wrote $$png (ImageMagick)"; \
	else echo "no PNG of the chart: no converter (rsvg-convert, inkscape or ImageMagick; apt-get install librsvg2-bin)"; fi

# The SVG-to-PNG converter for the chart, when apt-get can install it; optional:
# without it the report has the SVG only.
bench-png-deps:
	@command -v rsvg-convert >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || { \
	  echo "Installing librsvg2-bin (rsvg-convert, for the chart's PNG; optional)"; \
	  $(SUDO) apt-get install -y -qq librsvg2-bin >/dev/null 2>&1 \
	  || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq librsvg2-bin; } \
	  || echo "could not install librsvg2-bin: the report will have the SVG chart only"; }

# Runs every suite again and compares it with the committed baseline
# (Benchmarks/Baselines/<suite>.json.gz) under each benchmark's thresholds: fails
# (exit 2) on a regression beyond them; being faster beyond them passes with a
# note. Wall clock and allocations only (CPU time is counted in 10 ms ticks).
# BENCH_CHECK_FLAGS="--target PaillierBenchmarks" checks one suite.
bench-check: deps bench-unpack-baselines
	@mkdir -p $(BENCH_RUN)
	@cat /proc/loadavg > $(BENCH_RUN)/check.load 2>/dev/null || : > $(BENCH_RUN)/check.load
	@( $(BENCH_PLUGIN) baseline check committed $(BENCH_CHECK_METRICS) --no-progress \
	    $(BENCH_CHECK_FLAGS); echo $$? > $(CURDIR)/$(BENCH_RUN)/check.status ) 2>&1 | tee $(BENCH_RUN)/check.log
	@$(BENCH_JUDGE)

# The committed baselines, unpacked as package-benchmark's baseline `committed`.
bench-unpack-baselines:
	@ls Benchmarks/Baselines/*.json.gz >/dev/null 2>&1 || { \
	  echo "no committed baseline in Benchmarks/Baselines: run make bench, then make bench-baseline"; exit 1; }
	@for f in Benchmarks/Baselines/*.json.gz; do \
	  suite=$$(basename $$f .json.gz); mkdir -p Benchmarks/.benchmarkBaselines/$$suite/committed; \
	  gzip -dc $$f > Benchmarks/.benchmarkBaselines/$$suite/committed/results.json; \
	done

BENCH_CHECK_METRICS := --metric wallClock --metric mallocCountTotal
# Reads $(BENCH_RUN)/check.log and check.status (package-benchmark's output and
# exit status) and says what they mean; exit 2 on a regression. With the load
# average at the run's start (check.load) above the cores, it warns that
# wall-clock regressions may be the load's.
BENCH_JUDGE = status=$$(cat $(BENCH_RUN)/check.status); \
  load=$$(cut -d' ' -f1 $(BENCH_RUN)/check.load 2>/dev/null); cores=$$(nproc 2>/dev/null || echo 1); \
  if [ -n "$$load" ] && awk "BEGIN { exit !($$load > $$cores) }"; then \
    echo "bench-check: note: load average $$load on $$cores cores at the start: other processes inflate wall-clock times, so a wall-clock regression may be theirs (allocation counts are not affected); check on a quiet machine"; fi; \
  if grep -q "is WORSE than" $(BENCH_RUN)/check.log; then \
    echo "bench-check: REGRESSION beyond the thresholds (the table above)"; exit 2; \
  elif [ "$$status" != 0 ] && grep -q "is BETTER than" $(BENCH_RUN)/check.log; then \
    echo "bench-check: no regression; some benchmarks are faster than the committed baseline beyond their thresholds (make bench-baseline records them)"; \
  elif [ "$$status" != 0 ]; then echo "bench-check: package-benchmark failed (exit $$status)"; exit $$status; \
  else echo "bench-check: every benchmark within its thresholds of the committed baseline"; fi

# Shows that bench-check fails on a regression, with the suites' real thresholds
# and the same comparison and verdict, without measuring anything: the committed
# BigNum baseline is compared (1) with itself, which must pass, then (2) with a
# copy in which `BigNum power 2048b` carries the measurements of `BigNum power
# 4096b` (about 5x slower), which must fail with exit 2.
bench-check-selftest: deps bench-unpack-baselines
	cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --product BenchReport
	"$$(cd Benchmarks && $(SWIFT) build -c release $(BENCH_PACKAGE_FLAGS) --show-bin-path)/BenchReport" inject-regression \
	  --baselines Benchmarks/.benchmarkBaselines --suite BigNumBenchmarks --from committed --to injected \
	  --benchmark "BigNum power 2048b" --slower "BigNum power 4096b"
	@mkdir -p $(BENCH_RUN); : > $(BENCH_RUN)/check.load
	@echo "=== (1) the committed baseline against itself: must pass ==="
	@( $(BENCH_PLUGIN) baseline check committed committed $(BENCH_CHECK_METRICS) --target BigNumBenchmarks --no-progress; \
	    echo $$? > $(CURDIR)/$(BENCH_RUN)/check.status ) 2>&1 | tee $(BENCH_RUN)/check.log
	@$(BENCH_JUDGE)
	@echo "=== (2) against the copy with the injected slowdown: must fail with exit 2 ==="
	@( $(BENCH_PLUGIN) baseline check committed injected $(BENCH_CHECK_METRICS) --target BigNumBenchmarks --no-progress; \
	    echo $$? > $(CURDIR)/$(BENCH_RUN)/check.status ) 2>&1 | tee $(BENCH_RUN)/check.log
	@( $(BENCH_JUDGE) ); status=$$?; \
	  if [ $$status = 2 ]; then echo "bench-check-selftest: passed (the injected regression failed the check with exit 2)"; \
	  else echo "bench-check-selftest: FAILED (the injected regression gave exit $$status, expected 2)"; exit 1; fi

# Records the last make bench run as the committed baseline (then commit Benchmarks/Baselines).
bench-baseline:
	@ls Benchmarks/.benchmarkBaselines/*/$(BENCH_BASELINE)/results.json >/dev/null 2>&1 || { \
	  echo "no stored run to record: run make bench first"; exit 1; }
	@mkdir -p Benchmarks/Baselines
	@for f in Benchmarks/.benchmarkBaselines/*/$(BENCH_BASELINE)/results.json; do \
	  suite=$$(basename $$(dirname $$(dirname $$f))); gzip -9nc $$f > Benchmarks/Baselines/$$suite.json.gz; \
	  echo "recorded Benchmarks/Baselines/$$suite.json.gz"; \
	done

# The report generator's own tests (a small fixture; debug build of the benchmark package).
bench-test:
	cd Benchmarks && $(SWIFT) test $(BENCH_PACKAGE_FLAGS) --filter BenchReportTests

clean:
	rm -rf .build $(BENCH_BIN) Benchmarks/.build Benchmarks/.build-native
