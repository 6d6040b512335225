# chatbot-connector — build, test and run.
#
#   make test    everything CI runs: lint, unit, integration (moto_server) tests
#   make build   the arm64 Lambda binary, bin/bootstrap
#   make lint    gofmt, go vet, staticcheck
#   make cfnlint cfn-lint on template.yaml (informational findings too)
#   make bench   the performance budget, measured against its floors: writes docs/performance.md

GO            ?= go
ARTIFACTS_DIR ?= $(CURDIR)/bin
GOFLAGS_BUILD := -tags lambda.norpc -trimpath -ldflags="-s -w"
MOTO_SPEC     := moto[server]==5.2.1
CFNLINT_SPEC  := cfn-lint==1.51.0

.PHONY: build build-ConnectorFunction test unit lint cfnlint tools bench clean

build:
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build $(GOFLAGS_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./cmd/connector

# SAM's makefile build method calls this target with ARTIFACTS_DIR set.
build-ConnectorFunction: build

# tools makes sure the programs the tests start are installed.
tools:
	@command -v moto_server >/dev/null 2>&1 || { \
	  echo "moto_server not found: installing $(MOTO_SPEC) with pip"; \
	  python3 -m pip install --quiet '$(MOTO_SPEC)' || { \
	    echo "error: moto_server is required by the integration tests and could not be installed; install it with: pip install '$(MOTO_SPEC)'" >&2; exit 1; }; }

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:" $$out >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

# cfnlint also installs cfn-lint (which brings aws-sam-translator, used by
# internal/deploy) when it is missing.
cfnlint:
	@command -v cfn-lint >/dev/null 2>&1 || { \
	  echo "cfn-lint not found: installing $(CFNLINT_SPEC) with pip"; \
	  python3 -m pip install --quiet '$(CFNLINT_SPEC)' || { \
	    echo "error: cfn-lint is required to check template.yaml and could not be installed; install it with: pip install '$(CFNLINT_SPEC)'" >&2; exit 1; }; }
	cfn-lint -c I -- template.yaml

unit:
	$(GO) test -count=1 ./...

test: tools lint cfnlint
	$(GO) test -race -count=1 ./...

# bench is not part of test: timings are recorded in docs/performance.md,
# never asserted. It starts and stops everything itself (moto_server, a
# proxy, a Lambda Runtime API, on 127.0.0.1) and takes a few minutes.
bench: tools build bench/node/node_modules/.package-lock.json
	$(GO) run ./bench/perf -out docs/performance.md

# The Node.js reference of the cold-start row, installed from its lock file.
bench/node/node_modules/.package-lock.json: bench/node/package.json bench/node/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: make bench needs Node.js 20 or later and npm for its Node.js reference" >&2; exit 1; }
	cd bench/node && npm ci --no-audit --no-fund

clean:
	rm -rf $(ARTIFACTS_DIR)
