package nodetest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/nodetest"
)

// TestNeed: a package that is there is found (when node is), and one that
// is not makes Need skip outside CI.
func TestNeed(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "node_modules", "@scope", "there")
	if err := os.MkdirAll(pkg, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "package.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CI", "")
	t.Run("missing package", func(t *testing.T) {
		var skipped bool
		t.Run("inner", func(t *testing.T) {
			defer func() { skipped = t.Skipped() }()
			nodetest.Need(t, dir, "target", "@scope/there", "absent")
			t.Error("Need returned with a package missing")
		})
		if !skipped {
			t.Error("Need did not skip")
		}
	})
	t.Run("present", func(t *testing.T) {
		if node := nodetest.Need(t, dir, "target", "@scope/there"); node == "" {
			t.Error("Need returned no node binary")
		}
	})
}

// TestNeedInstalled: the node binary of an installed npm package is
// returned; without it, NeedInstalled skips outside CI.
func TestNeedInstalled(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "node_modules", "node-x", "bin")
	t.Setenv("CI", "")
	t.Run("missing binary", func(t *testing.T) {
		var skipped bool
		t.Run("inner", func(t *testing.T) {
			defer func() { skipped = t.Skipped() }()
			nodetest.NeedInstalled(t, dir, "target", "node-x")
			t.Error("NeedInstalled returned with the binary missing")
		})
		if !skipped {
			t.Error("NeedInstalled did not skip")
		}
	})
	if err := os.MkdirAll(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "node"), []byte("#!/bin/sh\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Run("present", func(t *testing.T) {
		if got, want := nodetest.NeedInstalled(t, dir, "target", "node-x"), filepath.Join(bin, "node"); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}
