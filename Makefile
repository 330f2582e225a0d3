# Glossa: the two commands a fresh Debian/Ubuntu machine needs.
#   make demo   installs what is missing, builds, and runs the three jobs on data it installs itself
#   make test   installs what is missing, builds, and runs every test (the MPI ones under mpirun), twice:
#               on Glossa's AVX-512 matrix kernels, then with GLOSSA_GEMM=fallback (OpenBLAS)
#   make mpi-test  only the data-parallel tests (Open MPI, 2 and 3 ranks on this machine)
SHELL := /bin/bash
BUILD_PACKAGES := libicu-dev libopenblas-dev
DEMO_PACKAGES := bible-kjv bible-kjv-text
# Open MPI's mpirun and libmpi.so.40, which Glossa loads only under mpirun (docs/DESIGN.md); without
# them (and not root) the MPI tests skip with a message.
MPI_PACKAGES := openmpi-bin
SWIFT ?= swift
OUT ?= demo-output

.PHONY: demo test mpi-test build release system-packages demo-packages mpi-packages clean

system-packages:
	@scripts/ensure-packages.sh $(BUILD_PACKAGES)

demo-packages:
	@scripts/ensure-packages.sh $(DEMO_PACKAGES)

mpi-packages:
	@scripts/ensure-packages.sh $(MPI_PACKAGES) || echo "glossa: the MPI tests will be skipped" >&2

build: system-packages
	$(SWIFT) build

release: system-packages
	$(SWIFT) build -c release

test: system-packages mpi-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing
	@echo "again with the matrix products on OpenBLAS (the path of CPUs without AVX-512)"
	GLOSSA_GEMM=fallback $(SWIFT) test --skip-build --disable-swift-testing

mpi-test: system-packages mpi-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing --filter MessagePassingTests

demo: release demo-packages
	@OUT=$(OUT) scripts/demo.sh

clean:
	rm -rf .build $(OUT)
