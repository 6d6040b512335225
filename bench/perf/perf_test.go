package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkHandler/generateId-2         	   34078	     36579 ns/op	     39936 cpu-ns/op	    8551 B/op	     100 allocs/op
BenchmarkE2E/getLink-floor-2   	     200	   5031556 ns/op
PASS
`
	got, err := parseBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []benchResult{
		{name: "BenchmarkHandler/generateId", nsPerOp: 36579, cpuNs: 39936, bytes: 8551, allocs: 100, attempts: 34078},
		{name: "BenchmarkE2E/getLink-floor", nsPerOp: 5031556, bytes: -1, allocs: -1, attempts: 200},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %+v, want %+v", got[i], want[i])
		}
	}
}

func TestStats(t *testing.T) {
	for _, tt := range []struct {
		xs        []float64
		med, p100 float64
	}{
		{nil, 0, 0},
		{[]float64{3, 1, 2}, 2, 3},
		{[]float64{4, 1, 3, 2}, 2.5, 4},
	} {
		if got := median(tt.xs); got != tt.med {
			t.Errorf("median(%v): got %v, want %v", tt.xs, got, tt.med)
		}
		if got := percentile(tt.xs, 100); got != tt.p100 {
			t.Errorf("max(%v): got %v, want %v", tt.xs, got, tt.p100)
		}
	}
	// Lambda bills each invocation in whole milliseconds, rounded up.
	if got := billedMs([]time.Duration{1100 * time.Microsecond, 3 * time.Millisecond}); got != 2.5 {
		t.Errorf("billedMs: got %v, want 2.5", got)
	}
}

func TestFlowCost(t *testing.T) {
	terms := flowCost(map[string]float64{"generateId": 4, "webhook": 10, "getLink": 2}, 128)
	top, total := largest(terms)
	// 16 ms × 0.125 GB × $0.0000133334 × 1e6 = $0.0266668; requests 0.60;
	// HTTP API 3.00; writes 1.875; reads 0.25; SNS 0.50.
	if want := 0.0266668 + 0.60 + 3.00 + 1.875 + 0.25 + 0.50; math.Abs(total-want) > 1e-6 {
		t.Errorf("total: got %v, want %v", total, want)
	}
	if top.what != priceHTTPAPI.what {
		t.Errorf("largest: got %s, want the HTTP API", top.what)
	}
}
