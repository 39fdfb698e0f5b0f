# ipclab -- the two commands of the README, and a few more.
#   sudo make run    install what running needs, build ipclab, run every scenario, print the claims
#   sudo make test   install what the tests need too, build everything, run every test
#   make build       install what the tests need, build everything, with the compiler's output
# run and test show each step in a line; the steps' output is in $(BUILD)/make-run.log and
# $(BUILD)/make-test.log (a failing step shows its last lines and points there).
# BPFTOOL=PATH: a bpftool binary to use instead of the distribution's (scripts/install-deps.sh).
BUILD ?= build
JOBS  ?= $(shell nproc)
OUT   ?= traces
# ARCH=arm64 (or x86): the architecture to build for, passed to cmake as IPCLAB_ARCH; empty:
# the compiler's (cmake/arch.cmake).  A cross build also needs that architecture's compiler
# and libraries (CC=aarch64-linux-gnu-gcc, multiarch -dev packages).
ARCH  ?=

DEPS      = env BPFTOOL=$(BPFTOOL) ./scripts/install-deps.sh
CONFIGURE = cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(if $(BPFTOOL),-DBPFTOOL=$(BPFTOOL)) \
            $(if $(ARCH),-DIPCLAB_ARCH=$(ARCH)) $(KERNEL_BTF_ARG)
STEP      = ./scripts/step.sh

.PHONY: all deps deps-run build run test clean quiet-build

all: build

# the packages: `run` what building and running needs, `test` that and what the tests need
deps:
	@$(DEPS) test

deps-run:
	@$(DEPS) run

# KERNEL_BTF=FILE builds for that kernel (its BTF: raw, vmlinux, Image or vmlinuz) instead of
# the running one; the build directory remembers it (KERNEL_BTF= goes back to the running one).
KERNEL_BTF_ARG = $(if $(filter command line environment,$(origin KERNEL_BTF)),\
	-DKERNEL_BTF=$(if $(KERNEL_BTF),$(abspath $(KERNEL_BTF))))

build: deps
	@$(CONFIGURE) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# ipclab and the viewer bundle of its --html reports, not the tests
run: LOG = $(BUILD)/make-run.log
run:
	@$(STEP) --new $(LOG) "packages" $(DEPS) run
	@$(STEP) $(LOG) "configure" $(CONFIGURE)
	@$(STEP) $(LOG) "build" cmake --build $(BUILD) -j $(JOBS) --target ipclab viz_bundle
	@$(BUILD)/ipclab run -o $(OUT)

# what `make build` does, a line per step
quiet-build: LOG = $(BUILD)/make-test.log
quiet-build:
	@$(STEP) --new $(LOG) "packages" $(DEPS) test
	@$(STEP) $(LOG) "configure" $(CONFIGURE)
	@$(STEP) $(LOG) "build" cmake --build $(BUILD) -j $(JOBS)

test: quiet-build
	cd $(BUILD) && ctest --output-on-failure
	IPCLAB_VM_KERNELS=$(VM_KERNELS) tests/vm/run-matrix.sh $(BUILD)

clean:
	rm -rf $(BUILD)

# The kernel matrix: the Debian kernels of tests/vm/kernels.conf (x86_64 5.10, 6.1, 6.12, 7.2;
# arm64 6.1 with an ipclab cross-built by tests/vm/cross-build.sh) in QEMU (TCG), every
# scenario under every probe tier each kernel attaches, with the host build, a build against
# the kernel's own BTF and one against 7.2's of the same architecture, checked on the host
# (tests/vm/, docs/kernels.md).
# The kernels `make test` boots (tests/vm/kernels.conf names): all but 7.2-arm64, whose build
# runs on the arm64 6.1 guest (booting a second arm64 kernel under TCG would add ~6 minutes).
VM_KERNELS ?= 6.1-arm64,5.10,6.1,6.12,7.2
.PHONY: test-vm
test-vm: quiet-build
	IPCLAB_VM_KERNELS=$(VM_KERNELS) tests/vm/run-matrix.sh $(BUILD)

# Benchmarks (bench/): tracing overhead against strace and bpftrace, throughput, JSON speed,
# memory, viewer scale, the course notes' table, a 60 s stress-ng --pipe 2 load under ipclab
# trace.  Results in bench/results/ (summary.md).
.PHONY: bench bench-quick
bench: build
	BUILD=$(BUILD) bench/run.sh

bench-quick: build
	BUILD=$(BUILD) bench/run.sh --quick
