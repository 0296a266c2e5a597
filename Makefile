# Thin wrapper over CMake/CTest for the README's commands.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_FLAGS ?= --output-on-failure -j $(JOBS) -E "_soak$$"

.PHONY: all build arm64 asan demo test test-native test-arm64 test-asan test-mdwe deps soak clean

all: build

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)

arm64:
	@command -v aarch64-linux-gnu-gcc >/dev/null || ./scripts/install-deps.sh
	cmake -S . -B build-arm64 -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/aarch64-linux-gnu.cmake >/dev/null
	cmake --build build-arm64 -j $(JOBS)

asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHY_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)

demo: build
	build/hyperion demo

deps:
	./scripts/install-deps.sh

test-native: build
	cd build && ctest $(CTEST_FLAGS)

# The whole native suite again with W+X gains refused by the kernel (inherited by every test).
test-mdwe: build
	build/test/hy-mdwe-exec ctest --test-dir build $(CTEST_FLAGS)

test-arm64: arm64
	QEMU_CPU=max ctest --test-dir build-arm64 $(CTEST_FLAGS)
	QEMU_CPU=cortex-a53 ctest --test-dir build-arm64 $(CTEST_FLAGS)

test-asan: asan
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan $(CTEST_FLAGS)

test: deps
	$(MAKE) test-native test-mdwe test-arm64 test-asan

# Long soak/fuzz runs, never part of `make test`.
soak: build
	HY_SOAK=1 ctest --test-dir build --output-on-failure -j $(JOBS) -L soak

clean:
	rm -rf build build-arm64 build-asan
