# Internet Monitor: the commands a newcomer needs. `make run` starts the stack, `make test` proves it.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Release
# Extra arguments for `make run` (the AppHost), e.g. ARGS="--Monitor:Targets:Gateway=none --Stack:ListenAddress=0.0.0.0".
ARGS ?=
# Extra arguments for `make bench`, e.g. BENCH_ARGS="--only rtt,loss" (scenarios: rtt loss jitter outage cost http dns speed capacity bloat writes logs).
BENCH_ARGS ?=

# The runtime identifier of this machine, for the native build: linux-x64 or linux-arm64.
HOST_RID := linux-$(shell uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
# What `make publish` builds for: this machine unless RID=linux-arm64 (a Raspberry Pi) or another is given.
RID := $(HOST_RID)
# Where `make publish` writes: artifacts/probe for this machine (what `make bench` runs), artifacts/probe-RID for another.
PUBLISH_DIR = $(if $(filter $(HOST_RID),$(RID)),artifacts/probe,artifacts/probe-$(RID))

.PHONY: run test test-unit build format format-check deps publish bench update-uplot clean

run:
	scripts/install-test-deps.sh --stack
	$(DOTNET) run --project InternetMonitor.AppHost -c $(CONFIGURATION) -- $(ARGS)

deps:
	scripts/install-test-deps.sh

build:
	$(DOTNET) build InternetMonitor.sln -c $(CONFIGURATION)

format:
	$(DOTNET) format InternetMonitor.sln

format-check:
	$(DOTNET) format InternetMonitor.sln --verify-no-changes

# Every layer (docs/testing.md), as CI runs it (.ci/run): Debian packages first, so it wants root or sudo.
test: deps build format-check
	$(DOTNET) test InternetMonitor.Tests -c $(CONFIGURATION) --no-build \
	  --logger "console;verbosity=normal" \
	  /p:CollectCoverage=true /p:CoverletOutputFormat=cobertura \
	  /p:CoverletOutput=$(CURDIR)/artifacts/coverage/ \
	  /p:Exclude="[InternetMonitor.Tests]*"

# The unit layer alone (Layer=Unit): no packages, no root, nothing but the .NET SDK; the line-coverage table of what it covers.
test-unit: build
	$(DOTNET) test InternetMonitor.Tests -c $(CONFIGURATION) --no-build --filter "Layer=Unit" \
	  --logger "console;verbosity=normal" \
	  /p:CollectCoverage=true /p:CoverletOutputFormat=cobertura \
	  /p:CoverletOutput=$(CURDIR)/artifacts/coverage-unit/ \
	  /p:Exclude="[InternetMonitor.Tests]*"

# The probe compiled natively (no .NET runtime needed to run it) for this machine, artifacts/probe/InternetMonitor.Probe,
# or for RID (cross-compiled), artifacts/probe-RID/; self-contained where the C toolchain for RID is missing (it says which).
publish:
	scripts/install-test-deps.sh --publish $(RID)
	DOTNET=$(DOTNET) scripts/publish-probe.sh $(RID) $(PUBLISH_DIR)

# The network lab benchmark (needs root): prints one table and writes it to docs/benchmarks.md. Not part of `make test`.
bench: deps publish
	$(DOTNET) build InternetMonitor.Benchmarks -c Release
	$(DOTNET) InternetMonitor.Benchmarks/bin/Release/net10.0/InternetMonitor.Benchmarks.dll --output docs/benchmarks.md \
	  --native artifacts/probe/InternetMonitor.Probe $(BENCH_ARGS)

# The status page's charting library, vendored in InternetMonitor.Probe/StatusPage/uplot/, refreshed from npm (needs npm).
update-uplot:
	scripts/update-uplot.sh

clean:
	$(DOTNET) clean InternetMonitor.sln
	rm -rf artifacts
