# The two commands of the README: `make demo` and `make test`. Both install what is
# missing (Debian packages), configure and build first.
BUILD := build
DEMO_OUT := out/wuyi

.PHONY: all setup configure build demo test bench clean

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

test: build
	@ctest --preset default

bench: build
	bench/run_benchmark.sh

clean:
	rm -rf $(BUILD) out
