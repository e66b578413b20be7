# The entry points: `make demo`, `make test` and `make fuzz`. Each installs what is missing first.
SWIFT ?= swift
APT_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev dataset-fashion-mnist
DEMO_OUT ?= out/demo

# libFuzzer targets (Fuzz/README.md): one per parser of untrusted input. `make fuzz` runs each
# for FUZZ_SECONDS on its committed seed corpus (Fuzz/Corpus/NAME) plus what earlier runs found
# (Fuzz/.build/corpus/NAME); a crash, a hang over 1 s or an allocation over 1 GB fails it and
# leaves the input in Fuzz/.build/artifacts/.
FUZZ_TARGETS := FuzzScenarioYAML FuzzGainsJSON FuzzScoreCSV FuzzIDX FuzzCIFAR FuzzCheckpoint
FUZZ_SECONDS ?= 30
# Seconds one input may take. 1 for the reported runs; on a loaded machine (CI shares 2 cores
# with other builds) a stall can pass 1 s on an input that takes 4 ms, so .ci/run allows 10.
FUZZ_TIMEOUT ?= 1
FUZZ_LIMITS := -rss_limit_mb=1024 -timeout=$(FUZZ_TIMEOUT) -malloc_limit_mb=1024
# gold stops with an internal error on these binaries; lld links them.
FUZZ_BUILD_FLAGS := -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld

.PHONY: deps build library demo test test-bindings bench bench-peers clean fuzz-build fuzz

# Installs the Debian packages that are not yet installed (through sudo when not root).
deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product ast

# The C library (include/ast_control.h) for trainers in other languages, optimised.
library: deps
	$(SWIFT) build -c release --product ASTControl

demo: build
	.build/release/ast demo --out $(DEMO_OUT)

# One debug build serves every test: the Swift tests, the ast binary and libASTControl
# (a dynamic product, built by --build-tests like every other product).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 Scripts/golden/upstream_reference.py check-replay "$$($(SWIFT) build --show-bin-path)/ast"
	python3 Scripts/lint/doc_parameters.py
	$(MAKE) --no-print-directory test-bindings

# The C and Python clients of libASTControl, against the debug build made by `make test`.
CC ?= cc
PYTHON ?= python3
LIBRARY_FILE := $(if $(filter Darwin,$(shell uname -s)),libASTControl.dylib,libASTControl.so)
test-bindings:
	@bin=$$($(SWIFT) build --show-bin-path) && \
	set -x && \
	$(CC) -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude Tests/CABI/ast_control_test.c \
		-L"$$bin" -lASTControl -Wl,-rpath,"$$bin" -lm -o "$$bin/ast_control_c_test" && \
	"$$bin/ast_control_c_test" && \
	AST_CONTROL_LIBRARY="$$bin/$(LIBRARY_FILE)" AST_BINARY="$$bin/ast" PYTHONDONTWRITEBYTECODE=1 \
		$(PYTHON) -m unittest discover -s bindings/python/tests -v

fuzz-build: deps
	cd Fuzz && $(SWIFT) build $(FUZZ_BUILD_FLAGS)

fuzz: fuzz-build
	@mkdir -p Fuzz/.build/artifacts Fuzz/.build/logs
	@for target in $(FUZZ_TARGETS); do \
		mkdir -p Fuzz/.build/corpus/$$target; \
		log=Fuzz/.build/logs/$$target.log; \
		if Fuzz/.build/debug/$$target -max_total_time=$(FUZZ_SECONDS) $(FUZZ_LIMITS) -print_final_stats=1 \
			-artifact_prefix=Fuzz/.build/artifacts/$$target- Fuzz/.build/corpus/$$target Fuzz/Corpus/$$target > $$log 2>&1; then \
			echo "$$target: $$(grep -E '^#[0-9]+' $$log | tail -1 | sed 's/  */ /g'); $$(grep -E 'stat::number_of_executed_units' $$log)"; \
		else \
			tail -40 $$log; echo "$$target: FAILED (log $$log, input in Fuzz/.build/artifacts/)"; exit 1; \
		fi; \
	done

bench: deps
	cd Benchmarks && $(SWIFT) package benchmark

# ast against PyTorch on one epoch of Fashion-MNIST, back to back (Benchmarks/peers/). Not
# part of `test` or CI: it installs torch into Benchmarks/peers/.venv when missing.
# Arguments go through PEERS_ARGS, e.g. `make bench-peers PEERS_ARGS="--rounds 3"`.
bench-peers: deps
	SWIFT=$(SWIFT) Benchmarks/peers/run.sh $(PEERS_ARGS)

clean:
	rm -rf .build out
