package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// subject is a function process the cold-start row runs.
type subject struct {
	name string   // as the report names it
	argv []string // the command
	role string   // "measured", "floor" or "reference"
	// plain: it answers something other than an API Gateway response.
	plain bool
}

// buildFlags are the product's (Makefile GOFLAGS_BUILD).
var buildFlags = []string{"-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w"}

// buildHost builds pkg for this machine's architecture with the product's
// flags. The product is arm64; this machine runs only its own.
func buildHost(ctx context.Context, root, out, pkg string) error {
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return nil
}

// subjects builds the three Go binaries and names the Node.js loop.
func subjects(ctx context.Context, root, dir string) ([]subject, error) {
	var out []subject
	for _, b := range []struct {
		name, pkg, role string
		plain           bool
	}{
		{"connector", "./cmd/connector", "measured", false},
		{"Go floor", "./bench/floor", "floor", false},
		{"Go hello world", "./bench/hello", "reference", true},
	} {
		bin := filepath.Join(dir, filepath.Base(b.pkg))
		if err := buildHost(ctx, root, bin, b.pkg); err != nil {
			return nil, err
		}
		out = append(out, subject{name: b.name, argv: []string{bin}, role: b.role, plain: b.plain})
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not installed: %w", err)
	}
	out = append(out, subject{name: "Node.js floor", argv: []string{node, filepath.Join(root, "bench", "node", "index.mjs")}, role: "reference"})
	return out, nil
}

// coldRun is one cold start: exec to the first answer.
type coldRun struct {
	total    time.Duration // exec to the first generateId answer
	init     time.Duration // exec to the first /next: the runtime's init phase
	earlyAWS int           // AWS requests before the first /next
	// toAWS is from the event handed out to the first AWS request: the
	// first request's own work before it reaches AWS.
	toAWS time.Duration
}

// coldStarts runs every subject rounds times, alternating (the order
// rotates every round, so none always runs after the same neighbour). A
// reference's start that takes the invocation and never answers is started
// once more, and counted in restarted: a hung Node.js process measures
// nothing of ours. The connector and the floors are never started again.
func coldStarts(ctx context.Context, c *cloud, subs []subject, rounds int) (runs map[string][]coldRun, restarted map[string]int, err error) {
	runs, restarted = map[string][]coldRun{}, map[string]int{}
	for r := range rounds {
		for i := range subs {
			s := subs[(i+r)%len(subs)]
			run, err := coldStart(ctx, c, s)
			if errors.Is(err, errNoAnswer) && s.role == "reference" {
				fmt.Printf("bench: %s: %v; started again\n", s.name, err)
				restarted[s.name]++
				run, err = coldStart(ctx, c, s)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", s.name, err)
			}
			runs[s.name] = append(runs[s.name], run)
		}
	}
	return runs, restarted, nil
}

func coldStart(ctx context.Context, c *cloud, s subject) (coldRun, error) {
	c.rt.reset()
	c.proxy.reset()
	cmd := exec.CommandContext(ctx, s.argv[0], s.argv[1:]...)
	cmd.Env = c.env()
	cmd.Dir = c.home
	cmd.Stderr = os.Stderr
	event := c.generateIDEvent()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return coldRun{}, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	inv, err := c.rt.invoke(ctx, event, 30*time.Second)
	if err != nil {
		return coldRun{}, err
	}
	initDone := c.rt.initDone()
	early, all := c.proxy.before(initDone)
	if !s.plain {
		if _, err := decodeAnswer(inv.answer); err != nil {
			return coldRun{}, err
		}
		if all == 0 {
			return coldRun{}, fmt.Errorf("made no AWS request: the proxy is not in the path")
		}
	}
	run := coldRun{total: inv.at.Sub(start), init: initDone.Sub(start), earlyAWS: early}
	if first := c.proxy.firstAfter(inv.handed); !first.IsZero() {
		run.toAWS = first.Sub(inv.handed)
	}
	return run, nil
}
