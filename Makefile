# ipclab -- the two commands of the README, and a few more.
#   sudo make run    install what is missing, build, run every scenario, print the claims
#   sudo make test   install what is missing, build, run every test
BUILD ?= build
JOBS  ?= $(shell nproc)
OUT   ?= traces
# ARCH=arm64 (or x86): the architecture to build for, passed to cmake as IPCLAB_ARCH; empty:
# the compiler's (cmake/arch.cmake).  A cross build also needs that architecture's compiler
# and libraries (CC=aarch64-linux-gnu-gcc, multiarch -dev packages).
ARCH  ?=

.PHONY: all deps build run test clean

all: build

deps:
	@./scripts/install-deps.sh

# KERNEL_BTF=FILE builds for that kernel (its BTF: raw, vmlinux, Image or vmlinuz) instead of
# the running one; the build directory remembers it (KERNEL_BTF= goes back to the running one).
KERNEL_BTF_ARG = $(if $(filter command line environment,$(origin KERNEL_BTF)),\
	-DKERNEL_BTF=$(if $(KERNEL_BTF),$(abspath $(KERNEL_BTF))))

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(if $(ARCH),-DIPCLAB_ARCH=$(ARCH)) \
		$(KERNEL_BTF_ARG) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/ipclab run -o $(OUT)

test: build
	cd $(BUILD) && ctest --output-on-failure
	$(MAKE) --no-print-directory test-vm

clean:
	rm -rf $(BUILD)

# The kernel matrix: the Debian kernels of tests/vm/kernels.conf (x86_64 6.1, 6.12, 7.2; arm64
# 6.1 with an ipclab cross-built by tests/vm/cross-build.sh) in QEMU (TCG), every scenario
# under every probe tier each kernel attaches, with the host build, a build against the
# kernel's own BTF and one against 7.2's (x86_64), checked on the host (tests/vm/,
# docs/kernels.md).
.PHONY: test-vm
test-vm: build
	tests/vm/run-matrix.sh $(BUILD)

# Benchmarks (bench/): tracing overhead against strace and bpftrace, throughput, JSON speed,
# memory, viewer scale, the course notes' table.  Results in bench/results/ (summary.md).
.PHONY: bench bench-quick
bench: build
	BUILD=$(BUILD) bench/run.sh

bench-quick: build
	BUILD=$(BUILD) bench/run.sh --quick
