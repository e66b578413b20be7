# The two entry points: `make demo` and `make test`. Each installs what is missing first.
SWIFT ?= swift
APT_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev dataset-fashion-mnist
DEMO_OUT ?= out/demo

.PHONY: deps build demo test bench bench-peers clean

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

demo: build
	.build/release/ast demo --out $(DEMO_OUT)

test: deps
	$(SWIFT) test

bench: deps
	cd Benchmarks && $(SWIFT) package benchmark

# ast against PyTorch on one epoch of Fashion-MNIST, back to back (Benchmarks/peers/). Not
# part of `test` or CI: it installs torch into Benchmarks/peers/.venv when missing.
# Arguments go through PEERS_ARGS, e.g. `make bench-peers PEERS_ARGS="--rounds 3"`.
bench-peers: deps
	SWIFT=$(SWIFT) Benchmarks/peers/run.sh $(PEERS_ARGS)

clean:
	rm -rf .build out
