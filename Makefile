# The two commands of the README: `make demo` and `make test`. Both install what is
# missing (Debian packages), configure and build first. `make fuzz` runs the fuzz targets.
BUILD := build
ASAN_BUILD := build-asan
FUZZ_BUILD := build-fuzz
DEMO_OUT := out/wuyi
FUZZ_SECONDS ?= 60

.PHONY: all setup configure build build-asan demo test test-plain test-asan fuzz bench clean

all: build

setup:
	@scripts/setup-debian.sh

$(BUILD)/build.ninja: | setup
	@cmake --preset default >/dev/null

configure: setup $(BUILD)/build.ninja

build: configure
	@cmake --build --preset default

# The demo starts a fresh ledger each time: against the same ledger a second run would find the
# quota already spent (which is the point of the ledger).
demo: build
	@rm -rf $(DEMO_OUT) $(DEMO_OUT).ledger.sqlite
	$(BUILD)/landquota run sample_maps/wuyi/job.toml --out $(DEMO_OUT) --ledger $(DEMO_OUT).ledger.sqlite

# The whole suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan,
# -O1 -g1): CI runs `make test`, so both passes are CI. The sanitized pass leaves out the tests
# whose point is another program (QGIS, chromium, PostgreSQL, an external plugin built by CMake)
# or a long run of code the rest already drives sanitized (the real cadastre, the golden demo);
# the test preset "asan" (CMakePresets.json) says which, docs/testing.md why and what it costs.
# `make test-plain` runs the first pass alone, `make test-asan` the second.
test: test-plain
	@$(MAKE) --no-print-directory test-asan # after, even under make -j: the two would share 2 cores

test-plain: build
	@ctest --preset default

$(ASAN_BUILD)/build.ninja: | setup
	@cmake --preset asan >/dev/null

build-asan: setup $(ASAN_BUILD)/build.ninja
	@cmake --build --preset asan

test-asan: build-asan
	@ctest --preset asan

# libFuzzer targets (tests/fuzz), built with Debian's clang, each run FUZZ_SECONDS seconds.
$(FUZZ_BUILD)/build.ninja: | setup
	@cmake --preset fuzz >/dev/null

fuzz: setup $(FUZZ_BUILD)/build.ninja
	@cmake --build --preset fuzz
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	bench/run_benchmark.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) out
