# The two commands: `make run` and `make test`. Both install what is missing first.
.PHONY: run test build bench deps clean format fuzz

BUILD_DIR ?= build
TEST_DIR ?= build-asan
DATA_DIR ?= ./halo-data
LISTEN ?= 127.0.0.1:8080
JOBS ?= 2

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DHALO_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR) --target halo -j $(JOBS)

run: build
	$(BUILD_DIR)/halo serve --listen $(LISTEN) --data-dir $(DATA_DIR) --demo

# The release binary is built too: optimised builds raise warnings a debug build does not,
# and `make run` must never be the first to find them.
test: build
	@cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHALO_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS) --timeout 300

bench:
	@bash scripts/install-deps.sh --bench
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DHALO_TESTS=OFF -DHALO_BENCH=ON >/dev/null
	@cmake --build $(BUILD_DIR) --target halo halo-webhook-sink halo_config_bench halo_graphql_bench -j $(JOBS)
	@HALO_CONFIG_BENCH=$(BUILD_DIR)/halo_config_bench HALO_GRAPHQL_BENCH=$(BUILD_DIR)/halo_graphql_bench bash bench/run.sh $(BUILD_DIR)/halo
	@bash bench/files.sh $(BUILD_DIR)/halo

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD_DIR) $(TEST_DIR)

# The libFuzzer targets, built with clang in their own build dir (never part of `make test`):
# FUZZER=config (the compiler), FUZZER=yaml (the fast YAML parser against yaml-cpp) or
# FUZZER=graphql (the GraphQL engine: parse, limits, validate, execute). Runs niced; FUZZ_SECONDS bounds the run. Findings go to fuzz/regressions/.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZER ?= config
# The GraphQL engine keeps its findings apart from the config compiler's.
FUZZ_REGRESSIONS = $(if $(filter graphql,$(FUZZER)),fuzz/graphql-regressions,fuzz/regressions)
FUZZ_SEEDS = $(if $(filter graphql,$(FUZZER)),,$(CURDIR)/../shared/configs)
fuzz:
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DHALO_FUZZ=ON -DHALO_TESTS=OFF -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null
	@cmake --build $(FUZZ_DIR) --target halo_$(FUZZER)_fuzzer -j 1
	@mkdir -p $(FUZZ_DIR)/corpus-$(FUZZER)
	cd $(FUZZ_DIR) && nice -n 19 ./halo_$(FUZZER)_fuzzer -max_total_time=$(FUZZ_SECONDS) -jobs=1 \
		-artifact_prefix=$(CURDIR)/$(FUZZ_REGRESSIONS)/ -max_len=16384 corpus-$(FUZZER) $(CURDIR)/$(FUZZ_REGRESSIONS) $(FUZZ_SEEDS)
