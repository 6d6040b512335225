# chatbot-connector — build, test and run.
#
#   make test    everything CI runs: lint, unit, integration (moto_server) tests
#   make build   the arm64 Lambda binary, bin/bootstrap
#   make lint    gofmt, go vet, staticcheck
#   make cfnlint cfn-lint on template.yaml (informational findings too)
#   make agent-docs  openapi-spec-validator on the agent tools' OpenAPI files in docs/
#   make mcp-client  npm ci of the TypeScript MCP client the tests run

GO            ?= go
ARTIFACTS_DIR ?= $(CURDIR)/bin
GOFLAGS_BUILD := -tags lambda.norpc -trimpath -ldflags="-s -w"
MOTO_SPEC     := moto[server]==5.2.1
CFNLINT_SPEC  := cfn-lint==1.51.0
OASV_SPEC     := openapi-spec-validator==0.9.0
TS_CLIENT     := internal/mcp/testdata/ts-client
AGENT_DOCS    := docs/tools-openapi-3.0.yaml docs/tools-openapi-3.1.yaml docs/tools-swagger-2.0.json

.PHONY: build build-ConnectorFunction test unit lint cfnlint agent-docs mcp-client tools clean

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

# agent-docs validates the OpenAPI 3.0, 3.1 and Swagger 2.0 files (generated
# by go test ./internal/tools -update); it installs the validator when missing.
agent-docs:
	@command -v openapi-spec-validator >/dev/null 2>&1 || { \
	  echo "openapi-spec-validator not found: installing $(OASV_SPEC) with pip"; \
	  python3 -m pip install --quiet '$(OASV_SPEC)' || { \
	    echo "error: openapi-spec-validator is required to check docs/ and could not be installed; install it with: pip install '$(OASV_SPEC)'" >&2; exit 1; }; }
	openapi-spec-validator $(AGENT_DOCS)

# mcp-client installs the TypeScript MCP SDK, pinned by package-lock.json,
# that internal/mcp's TestTypeScriptClient runs against the local connector.
mcp-client: $(TS_CLIENT)/node_modules/.package-lock.json

$(TS_CLIENT)/node_modules/.package-lock.json: $(TS_CLIENT)/package.json $(TS_CLIENT)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "error: node and npm are required by the TypeScript MCP client test; install Node.js 20 or later" >&2; exit 1; }
	npm ci --prefix $(TS_CLIENT) --no-audit --no-fund --loglevel=error

unit:
	$(GO) test -count=1 ./...

test: tools lint cfnlint agent-docs mcp-client
	$(GO) test -race -count=1 ./...

clean:
	rm -rf $(ARTIFACTS_DIR)
