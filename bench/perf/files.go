package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// filesResults are the files sections' figures (issue 18's performance
// budget, and issue 20's read_file rows).
type filesResults struct {
	// decrypt are BenchmarkDecrypt's runs (internal/sendsafely): our
	// connector.FileSource beside bare go-crypto, interleaved.
	decrypt map[string][]benchResult
	// retrievals are the runs of bench/retrieve and of the SDK.
	retrievals []retrievalRun
	// forwards are the file callback's posts (bench/retrieve forward).
	forwards []forwardRun
	// content are BenchmarkRenderText and BenchmarkRenderPDF's runs
	// (internal/content): read_file's rendering.
	content      map[string][]benchResult
	contentOrder []string
}

// The files targets (issue 18).
const (
	decryptLimit   = 0.8      // FileSource throughput ≥ 0.8× the floor's
	retrieveLimit  = 0.7      // retrieval ≥ 0.7× the floor's speed
	sdkLimit       = 3.0      // retrieval ≥ 3× faster than the SDK
	fileMemLimit   = 64 << 20 // peak RSS growth, bytes
	commandDecrypt = "`go test -run '^$' -bench BenchmarkDecrypt -benchtime 5x ./internal/sendsafely`"
	commandContent = "`go test -run '^$' -bench 'BenchmarkRender(Text|PDF|Image)$' -benchmem ./internal/content`"
)

// measureFiles runs the files sections: decryption, retrieval (with its
// memory) and read_file's rendering.
func measureFiles(ctx context.Context, root, tmp string, o options, step func(string)) (filesResults, error) {
	var f filesResults
	step("compiling the files benchmarks")
	ssTest, err := testBinary(ctx, root, tmp, "./internal/sendsafely")
	if err != nil {
		return f, err
	}
	step(fmt.Sprintf("decryption: %d runs of BenchmarkDecrypt", o.runs))
	if f.decrypt, _, err = benchRuns(ctx, ssTest, filepath.Join(root, "internal", "sendsafely"), o.runs,
		"-test.bench", "^BenchmarkDecrypt$", "-test.benchmem", "-test.benchtime", "5x"); err != nil {
		return f, err
	}
	if f.retrievals, err = measureRetrieval(ctx, root, tmp, o.fileRounds, step); err != nil {
		return f, err
	}
	if f.forwards, err = measureForward(ctx, root, tmp, o.fileRounds, step); err != nil {
		return f, err
	}
	contentTest, err := testBinary(ctx, root, tmp, "./internal/content")
	if err != nil {
		return f, err
	}
	step(fmt.Sprintf("read_file: %d runs of BenchmarkRenderText, BenchmarkRenderPDF and BenchmarkRenderImage", o.runs))
	if f.content, f.contentOrder, err = benchRuns(ctx, contentTest, filepath.Join(root, "internal", "content"), o.runs,
		"-test.bench", "^BenchmarkRender(Text|PDF|Image)$", "-test.benchmem"); err != nil {
		return f, err
	}
	return f, nil
}

// decryptRatio returns the medians over the runs of FileSource's and the
// floor's throughput (MB/s, from each run's median call) and of the runs'
// ratios.
func (f *filesResults) decryptRatio() (ours, floor, ratio float64) {
	var o, fl, ra []float64
	for _, b := range f.decrypt["BenchmarkDecrypt"] {
		o = append(o, decryptBytes/b.metrics["filesource-ns/op"]*1e3)
		fl = append(fl, decryptBytes/b.metrics["floor-ns/op"]*1e3)
		ra = append(ra, b.metrics["ratio"])
	}
	return median(o), median(fl), median(ra)
}

// decryptBytes is the size of BenchmarkDecrypt's file (40 MiB).
const decryptBytes = 40 << 20

// filesOnly is perf -files-only: the files sections alone, printed.
func filesOnly(ctx context.Context, r *results, root, tmp string, step func(string)) error {
	var err error
	if r.files, err = measureFiles(ctx, root, tmp, r.opts, step); err != nil {
		return err
	}
	r.machine.loadEnd = loadAverage()
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("| figure | measured | floor | ratio | target | met | command |\n|---|---|---|---|---|---|---|\n")
	r.renderFilesSummary(w)
	w("\n")
	r.renderFiles(w)
	fmt.Print(b.String())
	fmt.Print(r.filesSummary())
	return nil
}
