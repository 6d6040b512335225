package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// benchResult is one line of `go test -bench` output.
type benchResult struct {
	name    string // without the -GOMAXPROCS suffix
	nsPerOp float64
	bytes   float64 // B/op, -1 if not reported
	allocs  float64 // allocs/op, -1 if not reported
	cpuNs   float64 // cpu-ns/op (BenchmarkHandler's own metric), 0 if not reported
	// metrics are the other per-op figures a benchmark reports, by unit
	// (BenchmarkE2E's route-ns/op, floor-ns/op, ratio).
	metrics  map[string]float64
	attempts int
}

// parseBench reads the result lines of `go test -bench` output.
func parseBench(r io.Reader) ([]benchResult, error) {
	var out []benchResult
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || f[3] != "ns/op" {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("bench line %q: %w", sc.Text(), err)
		}
		ns, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("bench line %q: %w", sc.Text(), err)
		}
		res := benchResult{name: name, nsPerOp: ns, bytes: -1, allocs: -1, attempts: n}
		for i := 4; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "B/op":
				res.bytes = v
			case "allocs/op":
				res.allocs = v
			case "cpu-ns/op":
				res.cpuNs = v
			default:
				if res.metrics == nil {
					res.metrics = map[string]float64{}
				}
				res.metrics[f[i+1]] = v
			}
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

// testBinary compiles the tests of pkg into dir and returns its path.
func testBinary(ctx context.Context, root, dir, pkg string) (string, error) {
	bin := filepath.Join(dir, strings.ReplaceAll(strings.Trim(pkg, "./"), "/", "-")+".test")
	cmd := exec.CommandContext(ctx, "go", "test", "-c", "-o", bin, pkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go test -c %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}

// runBench runs a compiled test binary's benchmarks once, in the package's
// directory (where `go test` runs them), and returns the results.
func runBench(ctx context.Context, bin, pkgDir string, args ...string) ([]benchResult, error) {
	cmd := exec.CommandContext(ctx, bin, append([]string{"-test.run", "^$", "-test.count", "1"}, args...)...)
	cmd.Dir = pkgDir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	res, err := parseBench(strings.NewReader(string(out)))
	if err == nil && len(res) == 0 {
		err = fmt.Errorf("%s: no benchmark results in:\n%s", filepath.Base(bin), out)
	}
	return res, err
}

// benchRuns runs the binary runs times and groups the results by name.
func benchRuns(ctx context.Context, bin, pkgDir string, runs int, args ...string) (map[string][]benchResult, []string, error) {
	byName := map[string][]benchResult{}
	var order []string
	for range runs {
		res, err := runBench(ctx, bin, pkgDir, args...)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range res {
			if _, ok := byName[r.name]; !ok {
				order = append(order, r.name)
			}
			byName[r.name] = append(byName[r.name], r)
		}
	}
	return byName, order, nil
}
