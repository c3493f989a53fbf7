# The two commands: `make run` and `make test`. Both install what is missing first.
.PHONY: run test build bench deps clean format

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

test: deps
	@cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHALO_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)
	cd $(TEST_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS) --timeout 300

bench:
	@bash scripts/install-deps.sh --bench
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DHALO_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR) --target halo halo-webhook-sink -j $(JOBS)
	@bash bench/run.sh $(BUILD_DIR)/halo

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD_DIR) $(TEST_DIR)
