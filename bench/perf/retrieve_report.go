package main

import (
	"fmt"

	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// retrievalSeconds returns the median time of subject's retrievals of
// size bytes, and how many there were.
func (f *filesResults) retrievalSeconds(subject string, size int64) (float64, int) {
	var xs []float64
	for _, r := range f.retrievals {
		if r.subject == subject && r.size == size {
			xs = append(xs, r.seconds)
		}
	}
	return median(xs), len(xs)
}

// growthKB returns the largest peak RSS growth of subject's retrievals of
// size bytes (peak less the RSS before the work), in kB.
func (f *filesResults) growthKB(subject string, size int64) int {
	g := 0
	for _, r := range f.retrievals {
		if r.subject == subject && r.size == size {
			g = max(g, r.peakKB-r.baseKB)
		}
	}
	return g
}

// peakKB returns the largest peak RSS of subject's retrievals of size.
func (f *filesResults) peakKB(subject string, size int64) int {
	p := 0
	for _, r := range f.retrievals {
		if r.subject == subject && r.size == size {
			p = max(p, r.peakKB)
		}
	}
	return p
}

// retrievalRatios returns the floor's median time over ours (our speed
// as a fraction of the floor's) and the SDK's over ours (how many times
// faster ours is) for the 1 GiB file.
func (f *filesResults) retrievalRatios() (floorRatio, sdkRatio float64) {
	ours, _ := f.retrievalSeconds(byOurs, sizeLarge)
	fl, _ := f.retrievalSeconds(byFloor, sizeLarge)
	sdk, _ := f.retrievalSeconds(bySDK, sizeLarge)
	if ours == 0 {
		return 0, 0
	}
	return fl / ours, sdk / ours
}

// flatKB is how much more the 1 GiB file may grow the process than the
// 100 MiB file for the memory to count as flat.
const flatKB = 8 << 10

// memoryMet reports whether retrieval grew the process by at most
// 64 MiB, flat: a 1 GiB file in one range against the 100 MiB file, each
// as one invocation of the files function holds it.
func (f *filesResults) memoryMet() bool {
	large, small := f.growthKB(byOursOne, sizeLarge), f.growthKB(byOursOne, sizeSmall)
	return large <= fileMemLimit>>10 && small <= fileMemLimit>>10 && large-small <= flatKB
}

// makeRunRanges is how many ranges of the 1 GiB file make run's process
// retrieves at once (410 parts, FILES_RANGE_PARTS 400).
const makeRunRanges = 2

// processMemoryMet reports whether make run's process, retrieving the
// 1 GiB file's ranges at once, grew by at most 64 MiB a range: on AWS
// each is an invocation of its own.
func (f *filesResults) processMemoryMet() bool {
	return f.growthKB(byOurs, sizeLarge) <= makeRunRanges*fileMemLimit>>10
}

func mbps(size int64, seconds float64) float64 { return float64(size) / seconds / 1e6 }

// renderRetrievalSummary writes the retrieval and memory rows of the
// summary table.
func (r *results) renderRetrievalSummary(w writer) {
	f := &r.files
	ours, n := f.retrievalSeconds(byOurs, sizeLarge)
	fl, _ := f.retrievalSeconds(byFloor, sizeLarge)
	sdk, _ := f.retrievalSeconds(bySDK, sizeLarge)
	fr, sr := f.retrievalRatios()
	w("| retrieval, 1 GiB | %.1f s (%.0f MB/s): stand-in on loopback → `connector.Retriever` → directory store, as `make run` wires it (median of %d) | floor (GET + decrypt + write) %.1f s; SendSafely's Node.js SDK `downloadFile` %.1f s | %.2f× the floor's speed; %.1f× faster than the SDK | ≥ 0.7× the floor; ≥ 3× faster than the SDK | %s | %s |\n",
		ours, mbps(sizeLarge, ours), n, fl, sdk, fr, sr, yes(fr >= retrieveLimit && sr >= sdkLimit), commandBench)
	w("| retrieval memory | peak RSS growth (largest of the runs, each in a process of its own): 1 GiB in one range (one files-function invocation) %.1f MiB, 100 MiB %.1f MiB; 1 GiB as `make run` retrieves it, its two ranges at once, %.1f MiB | floor %.1f MiB; SDK peak RSS %.0f MiB | — | ≤ 64 MiB, flat | per invocation: %s; `make run`'s process (≤ 64 MiB a range): %s | %s |\n",
		kib(f.growthKB(byOursOne, sizeLarge)), kib(f.growthKB(byOursOne, sizeSmall)), kib(f.growthKB(byOurs, sizeLarge)),
		kib(f.growthKB(byFloor, sizeLarge)), kib(f.peakKB(bySDK, sizeLarge)), yes(f.memoryMet()), yes(f.processMemoryMet()), commandBench)
}

func kib(kB int) float64 { return float64(kB) / 1024 }

// renderRetrieval writes the retrieval section.
func (r *results) renderRetrieval(w writer) {
	f := &r.files
	w("## Files: retrieval and its memory\n\n")
	w("`bench/retrieve` (run by `bench/perf/retrieve.go`) serves the SendSafely stand-in in a process of its own, with a\n")
	w("1 GiB and a 100 MiB file made by `AddGeneratedFileOnDisk`: each part is encrypted as the browser uploader\n")
	w("does once, at setup (untimed), into a file, and part GETs are served from it (sendfile), as S3 serves\n")
	w("SendSafely's stored ciphertext, so the stand-in spends no encryption on the cores the subjects run on and\n")
	w("holds no file in memory. Each retrieval is a process of its own:\n\n")
	w("- **ours**: a service in verified mode on in-memory parts with the real SendSafely client, the directory store\n")
	w("  (`internal/dirstore`) and in-process jobs (`memory.Jobs`) running `connector.Retriever`, wired as\n")
	w("  `cmd/connector-dev/files.go` wires `make run`. The upload is made and its notification accepted first\n")
	w("  (untimed); the time runs from the package's fan-out job to the last range job's end: download-urls, the\n")
	w("  parts, decryption, SHA-256, the multipart write (each byte written twice, as a part and then assembled),\n")
	w("  promotion and the records. The manifest must then show the file stored with the content's SHA-256.\n")
	w("  With the default `FILES_RANGE_PARTS` (400) the 1 GiB file's 410 parts are two ranges (400 and 10 parts),\n")
	w("  whose jobs run at once in the one process, as `make run` runs them.\n")
	w("- **ours, one range**: the same with `FILES_RANGE_PARTS` above the file's parts, so one job retrieves the\n")
	w("  whole file, and with the files function's `GOGC=%d` (`wiring.FilesGCPercent`, set by the template): what one\n", wiring.FilesGCPercent)
	w("  invocation of the files function holds (on AWS each range is an invocation of its own). The 100 MiB file,\n")
	w("  one range in any case, is retrieved this way too.\n")
	w("- **floor**: download-urls, then one after the other a plain HTTP GET of each part, go-crypto decrypting it\n")
	w("  and the plaintext written to one file: nothing else.\n")
	w("- **SDK**: SendSafely's own Node.js SDK (`@sendsafely/sendsafely` 3.1.0 on Node.js 24,\n")
	w("  `internal/sendsafely/testdata/sdk/download.js`, unchanged but for its time bound) `downloadFile` of the same\n")
	w("  file; timed from exec to exit, its peak RSS from `getrusage`. It keeps the whole file in memory.\n\n")
	w("CPU is the process's user and system time, all threads, setup included (a fraction of a second); the\n")
	w("collections and the largest live heap after one are from the Go collector's trace (`GODEBUG=gctrace=1`).\n")
	w("Every file written is checked against the content's SHA-256, then removed. %d rounds, the order rotating\n", r.opts.fileRounds)
	w("each round. Memory growth is the peak RSS (`VmHWM` of `/proc/self/status`, reset through `clear_refs` just\n")
	w("before the work) less the RSS before the work: it counts what the Go runtime's own figures hide (stacks, mmap,\n")
	w("the OS's view of the heap). Flat means the 1 GiB file grows the process by at most %d MiB more than the\n", flatKB>>10)
	w("100 MiB file.\n\n")
	w("| round | who | file | time | MB/s | CPU | RSS before | peak RSS | growth | collections, largest live heap |\n|---|---|---|---|---|---|---|---|---|---|\n")
	per := 6
	for i, run := range f.retrievals {
		before, growth, gc := "—", "—", "—"
		if run.subject != bySDK {
			before, growth = fmt.Sprintf("%.1f MiB", kib(run.baseKB)), fmt.Sprintf("%.1f MiB", kib(run.peakKB-run.baseKB))
			gc = fmt.Sprintf("%d, %d MB", run.gc.collections, run.gc.liveMB)
		}
		w("| %d | %s | %s | %.2f s | %.0f | %.2f s | %s | %.1f MiB | %s | %s |\n", i/per+1, run.subject, mib(run.size), run.seconds,
			mbps(run.size, run.seconds), run.cpuSeconds, before, kib(run.peakKB), growth, gc)
	}
	ours, _ := f.retrievalSeconds(byOurs, sizeLarge)
	fl, _ := f.retrievalSeconds(byFloor, sizeLarge)
	sdk, _ := f.retrievalSeconds(bySDK, sizeLarge)
	fr, sr := f.retrievalRatios()
	w("\n1 GiB, medians: ours %.1f s, the floor %.1f s, the SDK %.1f s. Ours runs at **%.2f×** the floor's speed\n", ours, fl, sdk, fr)
	w("(target ≥ 0.7×: %s) and **%.1f×** the SDK's (target ≥ 3×: %s). Peak RSS growth, the largest of the runs:\n", yes(fr >= retrieveLimit), sr, yes(sr >= sdkLimit))
	w("**%.1f MiB** for 1 GiB in one range and **%.1f MiB** for 100 MiB (target ≤ 64 MiB, flat: %s); %.1f MiB for\n",
		kib(f.growthKB(byOursOne, sizeLarge)), kib(f.growthKB(byOursOne, sizeSmall)), yes(f.memoryMet()), kib(f.growthKB(byOurs, sizeLarge)))
	w("1 GiB as `make run` retrieves it, %d ranges at once in one process with Go's default GOGC (≤ 64 MiB a range: %s).\n", makeRunRanges, yes(f.processMemoryMet()))
	w("The bound is per range: each holds at most one multipart part and a tail (8 + 5 MiB) and a few SendSafely\n")
	w("parts in flight, ciphertext and plaintext, and the Go heap's headroom over that; ranges at once add up. The\n")
	w("headroom is what `GOGC` sets: at Go's default the heap may grow to twice the live buffers before a collection,\n")
	w("by the little garbage each part leaves, so that a longer file ends nearer that goal; at %d it stays within a\n", wiring.FilesGCPercent)
	w("quarter of them, and a collection of this heap (large buffers without pointers) costs a fraction of a millisecond.\n\n")
}

// filesMisses are the files targets this run did not meet, for the
// report's "Targets not met".
func (r *results) filesMisses() []string {
	f := &r.files
	var out []string
	if _, _, ratio := f.decryptRatio(); ratio < decryptLimit {
		out = append(out, fmt.Sprintf("**Decryption**: `FileSource` at %.2f× the floor's throughput.", ratio))
	}
	ours, _ := f.retrievalSeconds(byOurs, sizeLarge)
	sdk, _ := f.retrievalSeconds(bySDK, sizeLarge)
	if fr, sr := f.retrievalRatios(); fr < retrieveLimit || sr < sdkLimit {
		oursCPU, sdkCPU := f.cpuSeconds(byOurs, sizeLarge), f.cpuSeconds(bySDK, sizeLarge)
		out = append(out, fmt.Sprintf("**Retrieval, 1 GiB**: %.2f× the floor's speed and %.1f× faster than the SDK (%.1f s against %.1f s). "+
			"In CPU time the SDK spent %.1f s to ours' %.1f s (%.1f×), but spread over %.1f cores of this machine's %d to ours' %.1f "+
			"(CPU time over wall time; the stand-in serving stored parts from disk takes little of the same cores). "+
			"Where cores are fewer or busier, as in a function of %d MB (%.2f of a vCPU), the gap in time nears the gap in CPU.",
			fr, sr, ours, sdk, sdkCPU, oursCPU, sdkCPU/oursCPU, sdkCPU/sdk, r.machine.cpus, oursCPU/ours,
			filesMemoryMB, float64(filesMemoryMB)/fullVCPUMB))
	}
	if !f.memoryMet() {
		large, small := f.growthKB(byOursOne, sizeLarge), f.growthKB(byOursOne, sizeSmall)
		g1, g2 := f.gcOf(byOursOne, sizeLarge), f.gcOf(byOursOne, sizeSmall)
		out = append(out, fmt.Sprintf("**Retrieval memory, per invocation**: %.1f MiB for 1 GiB in one range against %.1f MiB for 100 MiB: "+
			"within 64 MiB but %.1f MiB apart, more than the %d MiB that counts as flat. The buffers are fixed (4 SendSafely parts in flight, "+
			"one multipart part and a tail), and the collector's trace of those runs shows no growth of the live heap: %d and %d collections, "+
			"the live heap at most %d and %d MB, the last collection %.1f s and %.1f s after the start. Between collections the heap grows "+
			"toward the next goal, the live heap and GOGC=%d%% of it, and the 100 MiB run ends before it gets as far: the bound is that goal, "+
			"not the file's size.", kib(large), kib(small), kib(large-small), flatKB>>10,
			g1.collections, g2.collections, g1.liveMB, g2.liveMB, g1.lastAt, g2.lastAt, wiring.FilesGCPercent))
	}
	if !f.processMemoryMet() {
		out = append(out, fmt.Sprintf("**Retrieval memory, `make run`'s process**: %.1f MiB for 1 GiB, whose %d ranges run at once there, "+
			"more than 64 MiB a range (on AWS each range is an invocation of its own, the row above).", kib(f.growthKB(byOurs, sizeLarge)), makeRunRanges))
	}
	return out
}

// gcOf returns the collector's trace of subject's retrieval of size that
// grew the most.
func (f *filesResults) gcOf(subject string, size int64) gcTrace {
	var g gcTrace
	most := -1
	for _, r := range f.retrievals {
		if r.subject == subject && r.size == size && r.peakKB-r.baseKB > most {
			g, most = r.gc, r.peakKB-r.baseKB
		}
	}
	return g
}

// cpuSeconds returns the median CPU time of subject's retrievals of size.
func (f *filesResults) cpuSeconds(subject string, size int64) float64 {
	var xs []float64
	for _, r := range f.retrievals {
		if r.subject == subject && r.size == size {
			xs = append(xs, r.cpuSeconds)
		}
	}
	return median(xs)
}
