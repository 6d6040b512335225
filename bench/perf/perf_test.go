package main

import (
	"fmt"
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

// TestCountRequests: the requests a file costs follow from SendSafely's
// part sizes, FILES_RANGE_PARTS and the 8 MiB multipart parts.
func TestCountRequests(t *testing.T) {
	for _, tt := range []struct {
		name string
		size int64
		want fileRequests
	}{
		{"10 MB", 10e6, fileRequests{ssParts: 5, ranges: 1, objectParts: 2, s3Writes: 5, s3Reads: 1, s3Deletes: 1, sqs: 6, kms: 4, kmsNoBucketKey: 6, invocations: 2}},
		{"1 GB", 1e9, fileRequests{ssParts: 383, ranges: 1, objectParts: 120, s3Writes: 123, s3Reads: 1, s3Deletes: 1, sqs: 6, kms: 4, kmsNoBucketKey: 124, invocations: 2}},
		{"2 GB, two ranges", 2e9, fileRequests{ssParts: 764, ranges: 2, objectParts: 240, s3Writes: 243, s3Reads: 2, s3Deletes: 1, sqs: 8, kms: 4, kmsNoBucketKey: 244, invocations: 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := countRequests(tt.size, 0)
			got.lambdaSeconds = 0
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestRenderFiles: the files sections render every row from a run's
// results, with each target judged.
func TestRenderFiles(t *testing.T) {
	r := &results{opts: options{runs: 1, fileRounds: 1}, machine: machine{cpus: 2}}
	r.files.decrypt = map[string][]benchResult{"BenchmarkDecrypt": {{name: "BenchmarkDecrypt",
		metrics: map[string]float64{"filesource-ns/op": 100e6, "floor-ns/op": 90e6, "ratio": 0.9}}}}
	r.files.retrievals = []retrievalRun{
		{subject: byOurs, size: sizeLarge, seconds: 10, baseKB: 10000, peakKB: 60000, cpuSeconds: 8},
		{subject: byFloor, size: sizeLarge, seconds: 9, baseKB: 8000, peakKB: 20000},
		{subject: bySDK, size: sizeLarge, seconds: 40, peakKB: 2000000},
		{subject: byOursOne, size: sizeLarge, seconds: 9, baseKB: 10000, peakKB: 50000, cpuSeconds: 8},
		{subject: byOursOne, size: sizeSmall, seconds: 1, baseKB: 10000, peakKB: 45000},
		{subject: byFloor, size: sizeSmall, seconds: 1, baseKB: 8000, peakKB: 18000},
	}
	r.files.content = map[string][]benchResult{"BenchmarkRenderPDF/page": {{nsPerOp: 20e6, bytes: 8e6, allocs: 38000}}}
	var b strings.Builder
	w := func(format string, args ...any) { b.WriteString(fmt.Sprintf(format, args...)) }
	r.renderFilesSummary(w)
	r.renderFiles(w)
	out := b.String()
	for _, want := range []string{
		"| decryption | 419 MB/s", "0.90× | ≥ 0.8× the floor | yes",
		"0.90× the floor's speed; 4.0× faster than the SDK | ≥ 0.7× the floor; ≥ 3× faster than the SDK | yes",
		"per invocation: yes; `make run`'s process (≤ 64 MiB a range): yes",
		"| read_file, 20-page PDF, its first page of text | 20.00 ms, 7.63 MiB allocated, 38000 allocs",
		"| files cost | $",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the files sections lack %q:\n%s", want, out)
		}
	}
}

// TestFilesMisses: a files target missed is named under "Targets not
// met", and none is when all are met.
func TestFilesMisses(t *testing.T) {
	base := []retrievalRun{
		{subject: byOurs, size: sizeLarge, seconds: 10, baseKB: 10000, peakKB: 60000, cpuSeconds: 8},
		{subject: byFloor, size: sizeLarge, seconds: 9},
		{subject: bySDK, size: sizeLarge, seconds: 40, cpuSeconds: 40},
		{subject: byOursOne, size: sizeLarge, seconds: 9, baseKB: 10000, peakKB: 50000},
		{subject: byOursOne, size: sizeSmall, seconds: 1, baseKB: 10000, peakKB: 45000},
	}
	decrypt := map[string][]benchResult{"BenchmarkDecrypt": {{metrics: map[string]float64{"ratio": 0.9}}}}
	for _, tt := range []struct {
		name   string
		change func(runs []retrievalRun)
		want   []string
	}{
		{"all met", func([]retrievalRun) {}, nil},
		{"the SDK close behind", func(runs []retrievalRun) { runs[2].seconds = 20 }, []string{"**Retrieval, 1 GiB**: 0.90× the floor's speed and 2.0× faster than the SDK"}},
		{"one range grows", func(runs []retrievalRun) { runs[3].peakKB = 80000 }, []string{"**Retrieval memory, per invocation**: 68.4 MiB"}},
		{"two ranges at once within 64 MiB each", func(runs []retrievalRun) { runs[0].peakKB = 90000 }, nil},
		{"two ranges at once grow", func(runs []retrievalRun) { runs[0].peakKB = 150000 }, []string{"**Retrieval memory, `make run`'s process**: 136.7 MiB"}},
		{"the 100 MiB file grows less", func(runs []retrievalRun) { runs[4].peakKB = 30000 }, []string{"**Retrieval memory, per invocation**: 39.1 MiB"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &results{machine: machine{cpus: 2}}
			r.files.decrypt = decrypt
			r.files.retrievals = append([]retrievalRun(nil), base...)
			tt.change(r.files.retrievals)
			got := r.filesMisses()
			if len(got) != len(tt.want) {
				t.Fatalf("got %q, want %d misses starting %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("miss %d: got %q, want it to start %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestParseGCTrace reads the collector's trace of a retrieval.
func TestParseGCTrace(t *testing.T) {
	trace := `gc 1 @0.014s 1%: 0.63+0.32+0.004 ms clock, 1.2+0/0.37/0.47+0.009 ms cpu, 1->1->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)
gc 2 @0.021s 1%: 0.015+0.86+0.014 ms clock, 0.031+0.14/0.21/0+0.029 ms cpu, 13->13->13 MB, 13 MB goal, 0 MB stacks, 0 MB globals, 2 P
some other line on stderr
gc 3 @0.099s 9%: 7.4+17+0.005 ms clock, 14+0/15/0+0.011 ms cpu, 27->27->26 MB, 27 MB goal, 0 MB stacks, 0 MB globals, 2 P
`
	if got, want := parseGCTrace(trace), (gcTrace{collections: 3, liveMB: 26, lastAt: 0.099}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := parseGCTrace(""); got != (gcTrace{}) {
		t.Errorf("no trace: got %+v, want none", got)
	}
}

// TestRenderColdRestarted: a reference's start that was started again is
// said under the cold-start table, and nothing is said when none was.
func TestRenderColdRestarted(t *testing.T) {
	const said = "Node.js floor: 1 of its starts took the invocation and gave no answer within 30 s"
	for _, restarted := range []map[string]int{nil, {"Node.js floor": 1}} {
		r := &results{opts: options{cold: 1}, machine: machine{arch: "amd64"},
			subjects:      []subject{{name: "connector"}, {name: "Go floor"}, {name: "Node.js floor", role: "reference"}},
			cold:          map[string][]coldRun{"connector": {{total: 30e6}}, "Go floor": {{total: 25e6}}, "Node.js floor": {{total: 300e6}}},
			coldRestarted: restarted}
		var b strings.Builder
		r.renderCold(func(format string, args ...any) { b.WriteString(fmt.Sprintf(format, args...)) })
		if got, want := strings.Contains(b.String(), said), restarted != nil; got != want {
			t.Errorf("restarted %v: the section says %q: %v, want %v", restarted, said, got, want)
		}
	}
}
