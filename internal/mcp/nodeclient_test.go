package mcp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// nodeClient is one of testdata/ts-client's scripts running: it prints a
// JSON line per step and waits for a line on its standard input between
// steps, so the test can act (submit a package) in between.
type nodeClient struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Scanner
	stderr strings.Builder
}

// runClient starts script with args under node, for at most a minute.
func runClient(t *testing.T, node, script string, args ...string) *nodeClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	c := &nodeClient{t: t, cmd: exec.CommandContext(ctx, node, append([]string{script}, args...)...)}
	c.cmd.Dir = tsClient
	c.cmd.Stderr = &c.stderr
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.out = bufio.NewScanner(stdout)
	c.out.Buffer(nil, 8<<20) // a line may carry an image read
	return c
}

// next decodes the client's next line into v.
func (c *nodeClient) next(v any) {
	c.t.Helper()
	if !c.out.Scan() {
		_ = c.cmd.Wait()
		c.t.Fatalf("the client stopped: %v\n%s", c.out.Err(), c.stderr.String())
	}
	c.t.Logf("client printed: %s", c.out.Text())
	if err := json.Unmarshal(c.out.Bytes(), v); err != nil {
		c.t.Fatalf("client printed %q: %v", c.out.Text(), err)
	}
}

// say writes one line to the client's standard input.
func (c *nodeClient) say(line string) {
	c.t.Helper()
	if _, err := io.WriteString(c.stdin, line+"\n"); err != nil {
		c.t.Fatal(err)
	}
}

// finish closes the client's input and waits for it to exit cleanly.
func (c *nodeClient) finish() {
	c.t.Helper()
	c.stdin.Close()
	if err := c.cmd.Wait(); err != nil {
		c.t.Errorf("client: %v\n%s", err, c.stderr.String())
	}
}
