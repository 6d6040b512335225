# chatbot-connector — build, test and run.
#
#   make run     the connector on 127.0.0.1:8080 and a stand-in upload page on
#                127.0.0.1:8081, no AWS account needed (cmd/connector-dev)
#   make test    everything CI runs: lint, unit, integration (moto_server) and
#                browser (headless Chromium) tests
#   make build   the arm64 Lambda binary, bin/bootstrap
#   make lint    gofmt, go vet, staticcheck
#   make cfnlint cfn-lint on template.yaml (informational findings too)
#   make openapi openapi-spec-validator on docs/openapi.yaml

GO            ?= go
ARTIFACTS_DIR ?= $(CURDIR)/bin
GOFLAGS_BUILD := -tags lambda.norpc -trimpath -ldflags="-s -w"
MOTO_SPEC     := moto[server]==5.2.1
CFNLINT_SPEC  := cfn-lint==1.51.0
OPENAPI_SPEC  := openapi-spec-validator==0.9.0

.PHONY: build build-ConnectorFunction run test unit lint cfnlint openapi tools browser-deps clean

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

# browser-deps installs Debian's Chromium for the browser test of
# cmd/connector-dev when it is missing (the test fails without it under CI).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)

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

# openapi also installs openapi-spec-validator when it is missing. The Go
# tests of internal/apispec run it on the 3.0.3 form derived from the file too.
openapi:
	@command -v openapi-spec-validator >/dev/null 2>&1 || { \
	  echo "openapi-spec-validator not found: installing $(OPENAPI_SPEC) with pip"; \
	  python3 -m pip install --quiet '$(OPENAPI_SPEC)' || { \
	    echo "error: openapi-spec-validator is required to check docs/openapi.yaml and could not be installed; install it with: pip install '$(OPENAPI_SPEC)'" >&2; exit 1; }; }
	openapi-spec-validator --schema 3.1 docs/openapi.yaml

unit:
	$(GO) test -count=1 ./...

run:
	$(GO) run ./cmd/connector-dev

test: tools browser-deps lint cfnlint openapi
	$(GO) test -race -count=1 ./...

clean:
	rm -rf $(ARTIFACTS_DIR)
