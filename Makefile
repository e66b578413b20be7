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

.PHONY: deps build demo test bench clean fuzz-build fuzz

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

clean:
	rm -rf .build out
