package main

import (
	"fmt"
	"strings"
)

// contentRows name read_file's benchmarks (internal/content) for the
// report.
var contentRows = []struct{ bench, what string }{
	{"BenchmarkRenderText/page", "1 MB text file, its first page (20,000 characters)"},
	{"BenchmarkRenderText/whole", "1 MB text file, whole in one page"},
	{"BenchmarkRenderPDF/page", "20-page PDF, its first page of text"},
	{"BenchmarkRenderPDF/whole", "20-page PDF, all of its text"},
	{"BenchmarkRenderImage", "4000 × 3000 JPEG scaled to 1,568 px for a model"},
}

// renderContentSummary writes read_file's rows of the summary table.
func (r *results) renderContentSummary(w writer) {
	for _, c := range contentRows {
		if len(r.files.content[c.bench]) == 0 {
			continue
		}
		ns, bytes, allocs := r.benchMedian(r.files.content, c.bench)
		w("| read_file, %s | %s, %s allocated, %.0f allocs | — | — | stated (with the zip and cold start rows within budget) | stated | %s |\n",
			c.what, durationText(ns), bytesText(bytes), allocs, commandContent)
	}
}

// durationText writes ns/op in ms or µs.
func durationText(ns float64) string {
	if ns >= 1e6 {
		return fmt.Sprintf("%.2f ms", ns/1e6)
	}
	return fmt.Sprintf("%.1f µs", ns/1e3)
}

// bytesText writes a B/op figure in KB or MiB.
func bytesText(b float64) string {
	if b >= 1<<20 {
		return mib(int64(b))
	}
	return fmt.Sprintf("%.0f KB", b/1000)
}

// renderContent writes read_file's section.
func (r *results) renderContent(w writer) {
	w("## Files: read_file\n\n")
	w("`read_file` runs in `ConnectorFunction` (%d MB) and renders a stored file with `internal/content`.\n", memoryMB)
	w("`BenchmarkRenderText`, `BenchmarkRenderPDF` and `BenchmarkRenderImage` (`internal/content/bench_test.go`)\n")
	w("render from memory (the object store's read is left out), as `read_file` does once it has opened the object.\n")
	w("Median of %d runs; B/op and allocs/op are from the last run (they barely vary).\n\n", r.opts.runs)
	w("| what | benchmark | time, median | min | max | allocated | allocs |\n|---|---|---|---|---|---|---|\n")
	for _, c := range contentRows {
		var xs []float64
		for _, b := range r.files.content[c.bench] {
			xs = append(xs, b.nsPerOp)
		}
		if len(xs) == 0 {
			continue
		}
		_, bytes, allocs := r.benchMedian(r.files.content, c.bench)
		w("| %s | `%s` | %s | %s | %s | %s | %.0f |\n", c.what, c.bench, durationText(median(xs)),
			durationText(percentile(xs, 0)), durationText(percentile(xs, 100)), bytesText(bytes), allocs)
	}
	w("\nThe zip and cold-start rows above are of the binary with this renderer linked in.\n\n")
}

// contentSummary is what perf prints of read_file's rows.
func (r *results) contentSummary() string {
	var b strings.Builder
	for _, c := range contentRows {
		ns, bytes, allocs := r.benchMedian(r.files.content, c.bench)
		fmt.Fprintf(&b, "read_file %s: %s, %s, %.0f allocs\n", strings.TrimPrefix(c.bench, "Benchmark"), durationText(ns), bytesText(bytes), allocs)
	}
	return b.String()
}
