package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkHandler/generateId-2         	   34078	     36579 ns/op	     39936 cpu-ns/op	    8551 B/op	     100 allocs/op
BenchmarkE2E/getLink-2   	     200	   8595924 ns/op	   3880963 floor-ns/op	         1.009 ratio	   3916635 route-ns/op
PASS
`
	got, err := parseBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []benchResult{
		{name: "BenchmarkHandler/generateId", nsPerOp: 36579, cpuNs: 39936, bytes: 8551, allocs: 100, attempts: 34078},
		{name: "BenchmarkE2E/getLink", nsPerOp: 8595924, bytes: -1, allocs: -1, attempts: 200,
			metrics: map[string]float64{"floor-ns/op": 3880963, "ratio": 1.009, "route-ns/op": 3916635}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d: %+v", len(got), len(want), got)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(benchResult{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
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

// TestDeliveryCost: a delivery's cost adds up its terms, and the queue's
// three requests are its largest.
func TestDeliveryCost(t *testing.T) {
	top, total := largest(deliveryCost(128))
	if top.what != priceSQSRequests.what {
		t.Errorf("largest term %q, want the SQS requests", top.what)
	}
	// 3 × $0.40 + $0.20 + 0.1 s × 0.125 GB × $0.0000133334 × 1e6 + $0.125
	if want := 1.2 + 0.2 + 0.1*0.125*0.0000133334*1e6 + 0.125; total < want-1e-9 || total > want+1e-9 {
		t.Errorf("total $%.6f per million, want $%.6f", total, want)
	}
}

func TestWithHandWritten(t *testing.T) {
	section := handWritten + "\n\n## Files function\n\nchosen by hand\n"
	for _, tt := range []struct{ name, report, old, want string }{
		{"no old report", "# New\n", "", "# New\n"},
		{"an old report without hand-written part", "# New\n", "# Old\n", "# New\n"},
		{"the hand-written part is kept, the old figures are not", "# New\nfigures\n", "# Old\nold figures\n\n" + section,
			"# New\nfigures\n\n" + section},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := withHandWritten(tt.report, tt.old); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
