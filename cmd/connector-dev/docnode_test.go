package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/doccheck"
)

// docScript returns the js block of section of the document at path that
// names script, as written.
func docScript(t *testing.T, path, section, script string) string {
	t.Helper()
	doc, err := doccheck.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := doc.Section(section)
	if !ok {
		t.Fatalf("%s has no %q section", path, section)
	}
	for _, b := range s.Blocks("js") {
		if strings.Contains(b.Code, script) {
			return b.Code
		}
	}
	t.Fatalf("the %q section of %s has no js block naming %s", section, path, script)
	return ""
}

// startDocReceiver runs code as script with node in a directory of its
// own (verifierDir's node_modules linked in), with CALLBACK_SECRET=secret
// and PORT a free port of 127.0.0.1, killed when the test ends; it waits
// until the receiver listens and returns its port and its output.
func startDocReceiver(t *testing.T, node, script, code string, secret connector.Secret) (int, *syncBuffer) {
	t.Helper()
	modules, _ := filepath.Abs(filepath.Join(verifierDir, "node_modules"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, script), []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	out := &syncBuffer{}
	cmd := exec.Command(node, script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CALLBACK_SECRET="+string(secret), "PORT="+strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitFor(t, "the receiver to listen", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
		}
		return err == nil
	}, out)
	return port, out
}
