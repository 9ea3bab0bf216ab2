# make demo: build everything, start the emulator, run the C quickstart against it.
# make test: every test in every language (Rust, C, C++, Python, Swift), the lints,
# and PubNub's Python SDK against the emulator.

CARGO ?= cargo
CC ?= cc
CXX ?= c++
BUILD := build/bin
RELEASE := target/release
STATIC_LIB := $(RELEASE)/libpubnub_actions.a
EMULATOR := $(RELEASE)/pubnub-emulator
# System libraries the Rust static library needs on Linux
# (from `cargo rustc --release --lib -- --print native-static-libs`).
NATIVE_LIBS := -lpthread -ldl -lm -lrt -lutil -lgcc_s
C_FLAGS := -std=c11 -Wall -Wextra -Werror -g -Iinclude
CXX_FLAGS := -std=c++17 -Wall -Wextra -Werror -g -Iinclude
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
VALGRIND := valgrind --error-exitcode=99 --suppressions=tests/c/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible

.PHONY: all build demo test lint test-rust test-c test-cpp test-readme test-python test-swift test-emulator-sdk header tools clean

all: build

tools:
	scripts/ensure-tools

build:
	$(CARGO) build --release -p pubnub-actions -p pubnub-emulator

$(BUILD):
	mkdir -p $(BUILD)

$(BUILD)/quickstart: examples/quickstart.c include/pubnub_actions.h build | $(BUILD)
	$(CC) $(C_FLAGS) -o $@ examples/quickstart.c $(STATIC_LIB) $(NATIVE_LIBS)

demo: $(BUILD)/quickstart
	scripts/with-emulator $(BUILD)/quickstart

test: tools lint test-rust test-c test-cpp test-readme test-python test-swift test-emulator-sdk
	@echo "make test: every suite passed"

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace
	@# Shown uncaptured so the output says whether the live-service test ran or was skipped.
	$(CARGO) test --test live -- --nocapture

$(BUILD)/api_test_asan: tests/c/api_test.c include/pubnub_actions.h build | $(BUILD)
	$(CC) $(C_FLAGS) $(SANITIZE) -o $@ tests/c/api_test.c $(STATIC_LIB) $(NATIVE_LIBS)

$(BUILD)/concurrency_test_asan: tests/c/concurrency_test.c include/pubnub_actions.h build | $(BUILD)
	$(CC) $(C_FLAGS) $(SANITIZE) -o $@ tests/c/concurrency_test.c $(STATIC_LIB) $(NATIVE_LIBS)

$(BUILD)/api_test: tests/c/api_test.c include/pubnub_actions.h build | $(BUILD)
	$(CC) $(C_FLAGS) -o $@ tests/c/api_test.c $(STATIC_LIB) $(NATIVE_LIBS)

test-c: $(BUILD)/api_test_asan $(BUILD)/concurrency_test_asan $(BUILD)/api_test
	scripts/with-emulator $(BUILD)/api_test_asan
	scripts/with-emulator $(BUILD)/concurrency_test_asan
	scripts/with-emulator $(VALGRIND) $(BUILD)/api_test

$(BUILD)/header_check: tests/c/header_check.cpp include/pubnub_actions.h build | $(BUILD)
	$(CXX) $(CXX_FLAGS) -o $@ tests/c/header_check.cpp $(STATIC_LIB) $(NATIVE_LIBS)

test-cpp: $(BUILD)/header_check
	$(BUILD)/header_check

# The C program in the README's "C API at a glance" section, built and run as written.
$(BUILD)/readme.c: README.md | $(BUILD)
	awk '/^## The C API at a glance/ { section = 1 } section && /^```c$$/ { code = 1; next } code && /^```$$/ { exit } code { print }' README.md > $@
	test -s $@

$(BUILD)/readme: $(BUILD)/readme.c include/pubnub_actions.h build
	$(CC) $(C_FLAGS) $(SANITIZE) -o $@ $(BUILD)/readme.c $(STATIC_LIB) $(NATIVE_LIBS)

test-readme: $(BUILD)/readme
	scripts/with-emulator $(BUILD)/readme

test-python:
	scripts/test-python

test-swift:
	scripts/test-swift

# PubNub's own Python SDK (pubnub 10.x from PyPI) against the emulator.
test-emulator-sdk:
	scripts/test-emulator-sdk

header:
	PNA_UPDATE_HEADER=1 $(CARGO) test --test header

clean:
	rm -rf build
	$(CARGO) clean
