# Glossa: the two commands a fresh Debian/Ubuntu machine needs.
#   make demo   installs what is missing, builds, and runs the three jobs on data it installs itself
#   make test   installs what is missing, builds, and runs every test (twice: Glossa's AVX-512
#               matrix kernels, then GLOSSA_GEMM=fallback, OpenBLAS)
SHELL := /bin/bash
BUILD_PACKAGES := libicu-dev libopenblas-dev
DEMO_PACKAGES := bible-kjv bible-kjv-text
SWIFT ?= swift
OUT ?= demo-output

.PHONY: demo test build release system-packages demo-packages clean

system-packages:
	@scripts/ensure-packages.sh $(BUILD_PACKAGES)

demo-packages:
	@scripts/ensure-packages.sh $(DEMO_PACKAGES)

build: system-packages
	$(SWIFT) build

release: system-packages
	$(SWIFT) build -c release

test: system-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
	@echo "again with the matrix products on OpenBLAS (the path of CPUs without AVX-512)"
	GLOSSA_GEMM=fallback $(SWIFT) test --skip-build --disable-swift-testing

demo: release demo-packages
	@OUT=$(OUT) scripts/demo.sh

clean:
	rm -rf .build $(OUT)
