# ipclab -- the two commands of the README, and a few more.
#   sudo make run    install what is missing, build, run every scenario, print the claims
#   sudo make test   install what is missing, build, run every test
BUILD ?= build
JOBS  ?= $(shell nproc)
OUT   ?= traces

.PHONY: all deps build run test clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/ipclab run -o $(OUT)

test: build
	cd $(BUILD) && ctest --output-on-failure

clean:
	rm -rf $(BUILD)
