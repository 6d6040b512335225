// Command perf is `make bench`: it measures every figure of the
// performance budget (issue 5) side by side with its floor in one run and
// writes docs/performance.md. It starts and stops everything it needs
// (moto_server, a proxy in front of it, a Lambda Runtime API) on 127.0.0.1.
// Timings are never asserted: the report records them against their
// targets. The count of AWS calls per route is asserted, by
// TestAWSCallsPerRoute in `make test`; perf runs it and reports it.
//
//	go run ./bench/perf [-out docs/performance.md] [-runs 5] [-cold 15] [-invocations 10000] [-file-rounds 3]
//	go run ./bench/perf -files-only   # the files sections alone, printed, no report written
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.out, "out", "docs/performance.md", "the report to write")
	flag.IntVar(&o.runs, "runs", 5, "runs of the Go benchmarks (warm handler, end to end); medians are reported")
	flag.IntVar(&o.cold, "cold", 15, "cold starts of each binary, alternating")
	flag.IntVar(&o.invocations, "invocations", 10000, "warm invocations of the memory run")
	flag.StringVar(&o.e2eTime, "e2e-benchtime", "100x", "-benchtime of the end-to-end benchmarks")
	flag.IntVar(&o.fileRounds, "file-rounds", 3, "rounds of the retrieval runs (each: 1 GiB by ours, the floor and the SDK; 100 MiB by ours and the floor)")
	flag.BoolVar(&o.filesOnly, "files-only", false, "measure only the files sections and print them, writing no report")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	out         string
	runs        int
	cold        int
	invocations int
	e2eTime     string
	filesOnly   bool
	fileRounds  int
}

// memoryMB is the function's memory in template.yaml.
const memoryMB = 128

func run(ctx context.Context, o options) error {
	start := time.Now()
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return fmt.Errorf("run from the repository root (make bench does): %w", err)
	}
	tmp, err := os.MkdirTemp("", "connector-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	r := &results{started: start, opts: o, machine: describeMachine(ctx)}
	step := func(s string) { fmt.Printf("bench: %s (%s)\n", s, time.Since(start).Round(time.Second)) }
	if o.filesOnly {
		return filesOnly(ctx, r, root, tmp, step)
	}

	step("artifact: bin/bootstrap from make build")
	if r.bootstrap, r.zip, err = artifact(ctx, filepath.Join(root, "bin", "bootstrap"), python3()); err != nil {
		return fmt.Errorf("artifact (run make build first): %w", err)
	}

	step("building the host binaries")
	subs, err := subjects(ctx, root, tmp)
	if err != nil {
		return err
	}
	r.subjects = subs

	step("starting moto_server, the proxy and the Runtime API")
	c, err := startCloud(ctx, root, tmp)
	if err != nil {
		return err
	}
	defer c.close()

	step(fmt.Sprintf("cold starts: %d rounds of %d binaries", o.cold, len(subs)))
	if r.cold, r.coldRestarted, err = coldStarts(ctx, c, subs, o.cold); err != nil {
		return err
	}

	step(fmt.Sprintf("memory and durations: %d warm invocations", o.invocations))
	if r.warmRun, err = warmRun(ctx, c, subs[0].argv[0], o.invocations); err != nil {
		return err
	}
	if r.largestItem, r.items, err = c.largestItem(ctx); err != nil {
		return err
	}
	c.close()

	step("compiling the Go benchmarks")
	apigwTest, err := testBinary(ctx, root, tmp, "./internal/apigw")
	if err != nil {
		return err
	}
	connTest, err := testBinary(ctx, root, tmp, "./cmd/connector")
	if err != nil {
		return err
	}
	step(fmt.Sprintf("warm handler: %d runs", o.runs))
	if r.warm, r.warmOrder, err = benchRuns(ctx, apigwTest, filepath.Join(root, "internal", "apigw"), o.runs,
		"-test.bench", "^BenchmarkHandler$", "-test.benchmem"); err != nil {
		return err
	}
	step(fmt.Sprintf("end to end: %d runs", o.runs))
	if r.e2e, r.e2eOrder, err = benchRuns(ctx, connTest, filepath.Join(root, "cmd", "connector"), o.runs,
		"-test.bench", "^BenchmarkE2E$", "-test.benchtime", o.e2eTime); err != nil {
		return err
	}
	step("calls: TestAWSCallsPerRoute")
	r.calls = callsTest(ctx, connTest, filepath.Join(root, "cmd", "connector"))
	if r.files, err = measureFiles(ctx, root, tmp, o, step); err != nil {
		return err
	}

	r.machine.loadEnd = loadAverage()
	r.elapsed = time.Since(start)
	report, err := keepHandWritten(o.out, r.render())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(o.out, []byte(report), 0o644); err != nil {
		return err
	}
	step("wrote " + o.out)
	fmt.Print(r.summary())
	return nil
}

// callsResult is the outcome of TestAWSCallsPerRoute.
type callsResult struct {
	passed bool
	output string
}

func callsTest(ctx context.Context, bin, dir string) callsResult {
	cmd := exec.CommandContext(ctx, bin, "-test.run", "^TestAWSCallsPerRoute$", "-test.count", "1", "-test.v")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return callsResult{passed: err == nil && bytes.Contains(out, []byte("--- PASS: TestAWSCallsPerRoute")), output: string(out)}
}

// machine describes where the figures were taken.
type machine struct {
	goVersion, nodeVersion, motoVersion string
	os, arch, cpu                       string
	cpus                                int
	loadStart, loadEnd                  string
}

func describeMachine(ctx context.Context) machine {
	m := machine{goVersion: runtime.Version(), os: runtime.GOOS, arch: runtime.GOARCH, cpus: runtime.NumCPU(), loadStart: loadAverage()}
	if out, err := exec.CommandContext(ctx, "node", "--version").Output(); err == nil {
		m.nodeVersion = strings.TrimSpace(string(out))
	}
	if out, err := exec.CommandContext(ctx, "python3", "-c", "import moto; print(moto.__version__)").Output(); err == nil {
		m.motoVersion = strings.TrimSpace(string(out))
	}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// loadAverage returns the 1, 5 and 15 minute load averages, or "".
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
