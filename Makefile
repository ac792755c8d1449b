# Internet Monitor: the commands a newcomer needs. `make run` starts the probe, `make test` proves it.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Release
# Extra arguments for `make run`, e.g. ARGS="--Monitor:Targets:Gateway=none".
ARGS ?=

.PHONY: run test build format format-check deps bench clean

run:
	$(DOTNET) run --project InternetMonitor.Probe -c $(CONFIGURATION) -- $(ARGS)

deps:
	scripts/install-test-deps.sh

build:
	$(DOTNET) build InternetMonitor.sln -c $(CONFIGURATION)

format:
	$(DOTNET) format InternetMonitor.sln

format-check:
	$(DOTNET) format InternetMonitor.sln --verify-no-changes

test: deps build format-check
	$(DOTNET) test InternetMonitor.Tests -c $(CONFIGURATION) --no-build \
	  --logger "console;verbosity=normal" \
	  /p:CollectCoverage=true /p:CoverletOutputFormat=cobertura \
	  /p:CoverletOutput=$(CURDIR)/artifacts/coverage/ \
	  /p:Exclude="[InternetMonitor.Tests]*"

bench:
	@echo "The benchmark (network lab, make bench) is not built yet." >&2; exit 1

clean:
	$(DOTNET) clean InternetMonitor.sln
	rm -rf artifacts
