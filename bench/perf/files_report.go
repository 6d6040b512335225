package main

import "fmt"

// renderFilesSummary writes the files rows of the summary table.
func (r *results) renderFilesSummary(w writer) {
	f := &r.files
	ours, floor, ratio := f.decryptRatio()
	w("| decryption | %.0f MB/s: `FileSource` (`Download` from the stand-in over loopback) of a 40 MiB file | bare go-crypto %.0f MB/s, from memory, one loop | %.2f× | ≥ 0.8× the floor | %s | %s |\n",
		ours, floor, ratio, yes(ratio >= decryptLimit), commandDecrypt)
	r.renderRetrievalSummary(w)
	r.renderForwardSummary(w)
	r.renderContentSummary(w)
	terms := filesCost(1, 1e9, f.cpuPerByte())
	top, total := largest(terms)
	w("| files cost | $%.4f a month to retrieve 1 GB as one file and keep it %d days (Lambda time estimated from the CPU time measured) | — | — | stated, largest term named | stated; largest: %s, $%.4f | %s |\n",
		total, retentionDays, top.what, top.usd, commandBench)
}

// renderFiles writes the files sections.
func (r *results) renderFiles(w writer) {
	f := &r.files
	w("## Files: decryption\n\n")
	w("`BenchmarkDecrypt` (`internal/sendsafely/bench_test.go`) decrypts a 40 MiB file of random bytes that the\n")
	w("SendSafely stand-in (`internal/sendsafely/sendsafelytest`) encrypted as the browser uploader does (a first\n")
	w("part of 655,360 bytes, then parts of 2,621,440: 17 OpenPGP messages, AES-256, SHA-256 S2K, MDC).\n")
	w("`FileSource` is our `connector.FileSource`, `(*sendsafely.Client).Download` of the whole file from the\n")
	w("stand-in over loopback (download-urls, a GET of each part, decryption, the integrity check) to `io.Discard`;\n")
	w("`floor` is bare ProtonMail/go-crypto decrypting the same stored parts from memory, one after the other in one\n")
	w("loop. The two are interleaved call by call, which goes first alternating, so the machine's load hits both\n")
	w("alike; each of %d runs of `-benchtime 5x` reports the median call of each and their ratio.\n\n", r.opts.runs)
	w("| run | FileSource, ms | floor, ms | FileSource, MB/s | floor, MB/s | ratio |\n|---|---|---|---|---|---|\n")
	for i, b := range f.decrypt["BenchmarkDecrypt"] {
		o, fl := b.metrics["filesource-ns/op"], b.metrics["floor-ns/op"]
		w("| %d | %.1f | %.1f | %.0f | %.0f | %.2f× |\n", i+1, o/1e6, fl/1e6, decryptBytes/o*1e3, decryptBytes/fl*1e3, b.metrics["ratio"])
	}
	ours, floor, ratio := f.decryptRatio()
	w("\nMedian: %.0f MB/s against the floor's %.0f MB/s, **%.2f×** (target ≥ 0.8×: %s). `Download` keeps 4 parts\n", ours, floor, ratio, yes(ratio >= decryptLimit))
	w("in flight, each fetched and decrypted on a goroutine of its own, so on this machine's %d cores it decrypts parts\n", r.machine.cpus)
	w("side by side, where the floor's one loop decrypts one after another.\n\n")
	r.renderRetrieval(w)
	r.renderForward(w)
	r.renderContent(w)
	r.renderFilesCost(w)
}

// filesSummary is what perf prints of the files sections.
func (r *results) filesSummary() string {
	f := &r.files
	ours, floor, ratio := f.decryptRatio()
	s := fmt.Sprintf("decrypt: FileSource %.0f MB/s, floor %.0f MB/s (%.2fx)\n", ours, floor, ratio)
	o, _ := f.retrievalSeconds(byOurs, sizeLarge)
	fl, _ := f.retrievalSeconds(byFloor, sizeLarge)
	sdk, _ := f.retrievalSeconds(bySDK, sizeLarge)
	fr, sr := f.retrievalRatios()
	s += fmt.Sprintf("retrieve 1 GiB: ours %.1f s, floor %.1f s (%.2fx), SDK %.1f s (%.1fx faster)\n", o, fl, fr, sdk, sr)
	s += fmt.Sprintf("retrieve memory: growth %.1f MiB (1 GiB, one range), %.1f MiB (100 MiB), %.1f MiB (1 GiB, two ranges at once); SDK peak %.0f MiB\n",
		kib(f.growthKB(byOursOne, sizeLarge)), kib(f.growthKB(byOursOne, sizeSmall)), kib(f.growthKB(byOurs, sizeLarge)), kib(f.peakKB(bySDK, sizeLarge)))
	s += fmt.Sprintf("file callback memory: growth %.1f MiB (500 MB), %.1f MiB (50 MB)\n",
		kib(f.forwardGrowthKB(forwardLarge)), kib(f.forwardGrowthKB(forwardSmall)))
	return s + r.contentSummary()
}
