# The two commands of the README: `make run` and `make test`. Both install what is missing first.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= 2

.PHONY: setup configure build run test test-asan test-tsan bench clean format

setup:
	@bash scripts/setup

configure: setup
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)
	@ln -sf $(PRESET)/reach build/reach

# A live simulated world (SOURCE=sim:rate=2000/s, the in-process simulator writing Twitter v1.1
# lines into the real decoder), or SOURCE=path for real data; dashboard on http://127.0.0.1:8080.
SOURCE ?= sim:rate=2000/s
run: build
	./build/reach run --source $(SOURCE) $(ARGS)

# The whole suite through ctest (release build), then the unit tests again under ASan+UBSan.
test: build
	@bash scripts/test

test-asan:
	@PRESET=debug bash scripts/test

# Every benchmark workload with its same-run baseline; the report goes to build/bench/report.md and
# docs/accuracy.md is recomputed (docs/benchmarks.md). ARGS="--quick" for a short run.
bench: setup
	@JOBS=$(JOBS) bash scripts/bench $(ARGS)

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
