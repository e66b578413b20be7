# The two entry points: `make demo` and `make test`. Each installs what is missing first.
SWIFT ?= swift
APT_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev dataset-fashion-mnist
DEMO_OUT ?= out/demo

.PHONY: deps build library demo test test-bindings bench bench-peers clean

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

bench: deps
	cd Benchmarks && $(SWIFT) package benchmark

# ast against PyTorch on one epoch of Fashion-MNIST, back to back (Benchmarks/peers/). Not
# part of `test` or CI: it installs torch into Benchmarks/peers/.venv when missing.
# Arguments go through PEERS_ARGS, e.g. `make bench-peers PEERS_ARGS="--rounds 3"`.
bench-peers: deps
	SWIFT=$(SWIFT) Benchmarks/peers/run.sh $(PEERS_ARGS)

clean:
	rm -rf .build out
