# Glossa: the two commands a fresh Debian/Ubuntu machine needs.
#   make demo   installs what is missing, builds, and runs the three jobs on data it installs itself
#   make test   installs what is missing, builds, and runs every test (the MPI ones under mpirun), twice:
#               on Glossa's AVX-512 matrix kernels, then with GLOSSA_GEMM=fallback (OpenBLAS)
#   make mpi-test  only the data-parallel tests (Open MPI, 2 and 3 ranks on this machine)
#   make sanitize  the tests again under AddressSanitizer (Swift) and ASan + UBSan (the C targets)
#   make fuzz      each libFuzzer target (CSV, tokenizer, model files, vocabulary) for FUZZ_SECONDS
SHELL := /bin/bash
BUILD_PACKAGES := libicu-dev libopenblas-dev
DEMO_PACKAGES := bible-kjv bible-kjv-text
# Open MPI's mpirun and libmpi.so.40, which Glossa loads only under mpirun (docs/DESIGN.md); without
# them (and not root) the MPI tests skip with a message.
MPI_PACKAGES := openmpi-bin
# Debian's chromium opens `glossa dedup --report` pages headless in the browser test; without it
# that test skips with a message.
BROWSER_PACKAGES := chromium
SWIFT ?= swift
OUT ?= demo-output

.PHONY: demo test mpi-test sanitize fuzz build release system-packages demo-packages mpi-packages browser-packages clean

system-packages:
	@scripts/ensure-packages.sh $(BUILD_PACKAGES)

demo-packages:
	@scripts/ensure-packages.sh $(DEMO_PACKAGES)

mpi-packages:
	@scripts/ensure-packages.sh $(MPI_PACKAGES) || echo "glossa: the MPI tests will be skipped" >&2

browser-packages:
	@scripts/ensure-packages.sh $(BROWSER_PACKAGES) || echo "glossa: the report's browser test will be skipped" >&2

build: system-packages
	$(SWIFT) build

release: system-packages
	$(SWIFT) build -c release

test: system-packages mpi-packages browser-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
	@echo "again with the matrix products on OpenBLAS (the path of CPUs without AVX-512)"
	GLOSSA_GEMM=fallback $(SWIFT) test --skip-build --disable-swift-testing

mpi-test: system-packages mpi-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing --filter "MessagePassingTests|CSVRowRangesTests"

# Its own scratch path: instrumented objects never mix with the ordinary build.
SANITIZE_FLAGS := --scratch-path .build-asan -Xswiftc -sanitize=address \
	-Xcc -fsanitize=address,undefined -Xcc -fno-sanitize-recover=undefined -Xcc -fno-omit-frame-pointer
SANITIZER_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Open MPI leaks in its own plugins (unloaded at exit, so no suppression can name them): the MPI
# tests run with leak detection off, every other test with it on. The namespace collectives test is
# left out: its second rank starts in another network namespace, which ASAN_OPTIONS does not reach.
sanitize: system-packages mpi-packages
	$(SWIFT) build --build-tests $(SANITIZE_FLAGS)
	$(SANITIZER_ENV) $(SWIFT) test --skip-build $(SANITIZE_FLAGS) --disable-swift-testing --skip MessagePassingTests
	$(SANITIZER_ENV) ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build $(SANITIZE_FLAGS) --disable-swift-testing --filter MessagePassingTests \
		--skip AcrossTwoNetworkNamespaces

FUZZ_SECONDS ?= 12
FUZZ_TARGETS := csv tokenizer model-file vocabulary bpe-codes
FUZZ_FLAGS := --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DGLOSSA_LIBFUZZER \
	-Xcc -fsanitize=fuzzer-no-link,address

fuzz: system-packages
	$(SWIFT) build --product glossa-fuzz $(FUZZ_FLAGS)
	@scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: release demo-packages
	@OUT=$(OUT) scripts/demo.sh

clean:
	rm -rf .build .build-asan .build-fuzz $(OUT)
