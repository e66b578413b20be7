# The two entry points: `make demo` and `make test`. Each installs what is missing first.
SWIFT ?= swift
APT_PACKAGES := libgsl-dev libopenblas-dev zlib1g-dev dataset-fashion-mnist
DEMO_OUT ?= out/demo

.PHONY: deps build demo test bench clean

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
	python3 Scripts/golden/upstream_reference.py check-replay .build/debug/ast

bench: deps
	cd Benchmarks && $(SWIFT) package benchmark

clean:
	rm -rf .build out
