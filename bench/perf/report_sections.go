package main

import (
	"fmt"
	"strings"
	"time"
)

func (r *results) renderArtifact(w writer) {
	w("## Artifact\n\n")
	w("`make build` makes `bin/bootstrap` for linux/arm64 (`CGO_ENABLED=0 -tags lambda.norpc -trimpath -ldflags=\"-s -w\"`): %d bytes (%s).\n",
		r.bootstrap, mib(r.bootstrap))
	w("Zipped alone: %d bytes (%s), %.1f%% of the 5 MiB target, which is judged on %s; made %s.\n\n",
		r.zip.bytes, mib(r.zip.bytes), 100*float64(r.zip.bytes)/zipLimit, r.zip.judged(), r.zip.how())
}

func (r *results) renderCold(w writer) {
	w("## Cold start\n\n")
	w("Each binary is started by exec against a minimal Lambda Runtime API written for the benchmark\n")
	w("(`bench/perf/runtimeapi.go`: `/2018-06-01/runtime/invocation/next`, `…/response`, `…/error`), with a\n")
	w("`generateId` event (the full HTTP API payload of `testdata/events/generateId.json`, with a bearer token)\n")
	w("waiting; the time is from exec to the answer's arrival. AWS is moto_server behind a recording proxy, in\n")
	w("the environment Lambda gives a function (region, credentials, no `~/.aws`). The binaries run %d rounds,\n", r.opts.cold)
	w("alternating, the order rotating each round. **The Go binaries are built for this machine (%s) with the\n", r.machine.arch)
	w("product's flags**, since it cannot run the arm64 artifact; the artifact row measures arm64.\n\n")
	w("| binary | what it does | exec → answer, median | min | max | exec → first `/next` (init), median | event → first AWS request, median | AWS requests before the first `/next` | vs the Go floor |\n|---|---|---|---|---|---|---|---|---|\n")
	what := map[string]string{
		"connector":      "the function (`./cmd/connector`)",
		"Go floor":       "`bench/floor`: read the secret, one PutItem, nothing else",
		"Go hello world": "`bench/hello`: aws-lambda-go answering \"hello\"",
		"Node.js floor":  "`bench/node`: the floor's two calls, AWS SDK v3, a small runtime loop",
	}
	floor := r.coldMedian("Go floor")
	for _, s := range r.subjects {
		var tot, ini, toAWS []float64
		for _, c := range r.cold[s.name] {
			tot = append(tot, float64(c.total)/float64(time.Millisecond))
			ini = append(ini, float64(c.init)/float64(time.Millisecond))
			toAWS = append(toAWS, float64(c.toAWS)/float64(time.Millisecond))
		}
		first := "—"
		if !s.plain {
			first = fmt.Sprintf("%.1f ms", median(toAWS))
		}
		w("| %s | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s | %d | %.2f× |\n", s.name, what[s.name], median(tot),
			percentile(tot, 0), percentile(tot, 100), median(ini), first, r.coldEarly(s.name), median(tot)/floor)
	}
	for _, s := range r.subjects {
		if n := r.coldRestarted[s.name]; n > 0 {
			w("\n%s: %d of its starts took the invocation and gave no answer within 30 s; each was started again,\n", s.name, n)
			w("and only the second start counts (a reference's hang measures nothing of ours; the connector and the floors\n")
			w("are never started again).\n")
		}
	}
	w("\nThe connector reads its configuration and builds its SDK clients at start, and reads the secret on the\n")
	w("first request: no AWS request reached the proxy before it first asked for an invocation, in any run\n")
	w("(also held by `TestStartMakesNoNetworkCall`). What it spends beyond the floor is its own code's\n")
	w("initialisation and the first request's work (configuration, key derivation, sealing, the log line).\n\n")
}

func (r *results) renderWarm(w writer) {
	w("## Warm handler\n\n")
	w("`BenchmarkHandler` (`internal/apigw/bench_test.go`) invokes the handler as the runtime does, raw event\n")
	w("JSON in and out, with in-memory fakes for DynamoDB, SNS and Secrets Manager, a deployment's settings\n")
	w("(API token, validation key) and the JSON log line written to `io.Discard`. `webhook` is a first\n")
	w("delivery (store, publish, mark published); `webhook-repeat` a repeat. Median of %d runs; the\n", r.opts.runs)
	w("allocation figures are exact.\n\n")
	w("| route | ns/op, median | min | max | B/op | allocs/op | CPU ns/op, median | target |\n|---|---|---|---|---|---|---|---|\n")
	for _, name := range r.warmOrder {
		var xs, cpu []float64
		for _, b := range r.warm[name] {
			xs = append(xs, b.nsPerOp)
			if b.cpuNs > 0 {
				cpu = append(cpu, b.cpuNs)
			}
		}
		_, bytes, allocs := r.benchMedian(r.warm, name)
		w("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n", strings.TrimPrefix(name, "BenchmarkHandler/"),
			median(xs), percentile(xs, 0), percentile(xs, 100), bytes, allocs, median(cpu),
			yes(allocs <= warmAllocLimit))
	}
	w("\nCPU ns/op is the process's CPU time (user and system, every thread, the garbage collector's too) per\n")
	w("call: unlike wall time it does not count time the benchmark spent waiting for a core.\n\n")
	w("Tuning that brought these down (each commit gives its before and after): keys derived once per request\n")
	w("with the AEAD kept for the write; one HMAC per derived key (a pooled HKDF extract, single-block expand);\n")
	w("`Handler.Invoke`, so the runtime skips aws-lambda-go's reflection and the map encoding of the headers.\n\n")
}

func (r *results) renderE2E(w writer) {
	w("## End to end\n\n")
	w("`BenchmarkE2E` (`cmd/connector/bench_test.go`) drives each route through the function's real SDK\n")
	w("clients against moto_server and, in the same run, its floor: the bare SDK calls the route must make,\n")
	w("of the items and the message the route really writes, from clients configured the same way. Route and\n")
	w("floor calls are interleaved one by one (which goes first alternating), so drift in moto_server or in the\n")
	w("machine's load hits both alike. %d runs of `-benchtime %s`; each run reports the median call of the route\n", r.opts.runs, r.opts.e2eTime)
	w("and of the floor, and the table gives the medians of those.\n\n")
	w("| route | route, median | floor | floor, median | ratio | per round trip (route) | target |\n|---|---|---|---|---|---|---|\n")
	for _, e := range e2eRoutes {
		rt, fl, ratio := r.e2eRatio(e.name)
		w("| %s | %.2f ms | %s | %.2f ms | %.2f× | %.2f ms | %s |\n", e.name, rt, e.floor, fl, ratio, rt/float64(e.calls), yes(ratio <= e2eLimit))
	}
	w("\nmoto_server, a Python process on the same two cores, answers in milliseconds; DynamoDB in-region answers\n")
	w("in a few. The absolute times are moto's; the ratio is the connector's share: its handler work is tens of\n")
	w("microseconds against milliseconds of round trip.\n\n")
}

func (r *results) renderCalls(w writer) {
	w("## Calls\n\n")
	w("`TestAWSCallsPerRoute` (`cmd/connector/calls_test.go`, in `make test`) counts, with a middleware in the\n")
	w("finalize step of the function's own SDK clients (after the retry step, so each attempt on the wire\n")
	w("counts), the requests each route sends to moto_server, and asserts them:\n\n")
	w("| step | DynamoDB | SNS | Secrets Manager |\n|---|---|---|---|\n")
	w("| generateId, secret not yet cached | 1 PutItem | — | 1 GetSecretValue |\n")
	w("| generateId | 1 PutItem | — | 0 |\n")
	w("| getLink (pending or ready) | 1 GetItem | — | 0 |\n")
	w("| webhook, first delivery | 1 GetItem + 2 PutItem | 1 Publish | 0 |\n")
	w("| webhook, repeat | 1 GetItem | — | 0 |\n")
	w("| webhook, unknown upload (published as `upload.unmatched`) | 1 GetItem | 1 Publish | 0 |\n")
	w("| generateId after `SECRET_CACHE_TTL` | 1 PutItem | — | 1 GetSecretValue |\n\n")
	if r.calls.passed {
		w("In this run the test passed.\n\n")
	} else {
		w("**In this run the test failed:**\n\n```\n%s\n```\n\n", strings.TrimSpace(r.calls.output))
	}
}

func (r *results) renderMemory(w writer) {
	w("## Memory\n\n")
	base, last := r.rssGrowthKB()
	w("One connector process (host build, as for the cold start) answers %d warm invocations through the\n", r.warmRun.invocations)
	w("same Runtime API and proxy: ")
	w("chat flows of `generateId`, a first `webhook` delivery and `getLink`, against moto_server.\n")
	w("RSS is read from `/proc/<pid>/status` (VmRSS) 20 times along the way; the peak is VmHWM at the end.\n")
	w("Peak: **%.1f MB**. After %d invocations: %.1f MB; at the end: %.1f MB (%+.1f MB). Flat means at most\n",
		float64(r.warmRun.peakKB)/1000, warmUpCalls, float64(base)/1000, float64(last)/1000, float64(last-base)/1000)
	w("%.0f MB of growth after the warm-up.\n\n", float64(flatLimitKB)/1000)
	w("| invocations |")
	for _, s := range r.warmRun.samples {
		w(" %d |", s.after)
	}
	w("\n|---|")
	for range r.warmRun.samples {
		w("---|")
	}
	w("\n| RSS, MB |")
	for _, s := range r.warmRun.samples {
		w(" %.1f |", float64(s.kB)/1000)
	}
	w("\n\n")
}

func (r *results) renderCost(w writer) {
	w("## Cost\n\n")
	w("Dollars per million chat flows (one `generateId`, one Dropzone notification, one `getLink`), from the\n")
	w("durations measured in the memory run (event handed out → answer received, billed per invocation in\n")
	w("whole milliseconds, rounded up), the function's %d MB (`template.yaml`), and the calls each route makes.\n\n", memoryMB)
	w("| route | invocations | median | p99 | mean billed |\n|---|---|---|---|---|\n")
	billed := r.billed()
	for _, route := range flowRoutes {
		xs := ms(r.warmRun.durations[route])
		w("| %s | %d | %.2f ms | %.2f ms | %.2f ms |\n", route, len(xs), median(xs), percentile(xs, 99), billed[route])
	}
	w("\nPrices, us-east-1, on-demand, as published and written down on %s (the DynamoDB on-demand prices\n", pricesDate)
	w("are those after AWS's November 2024 cut); check them before relying on the total. Free tiers are left out.\n\n")
	w("| service | price |\n|---|---|\n")
	for _, p := range prices {
		w("| %s | %s |\n", p.what, p.shown)
	}
	terms := flowCost(billed, memoryMB)
	top, total := largest(terms)
	w("\n| term | per flow | per million flows |\n|---|---|---|\n")
	for _, t := range terms {
		w("| %s | %s | $%.4f |\n", t.what, t.units, t.usd)
	}
	w("| **total** | | **$%.2f** |\n\n", total)
	w("The largest term is **%s** ($%.2f of $%.2f, %.0f%%). The table's items are at most %d bytes (%d items\n",
		top.what, top.usd, total, 100*top.usd/total, r.largestItem, r.items)
	w("after the memory run), so each write is one write unit and each strongly consistent read one read unit.\n\n")
	compute := terms[0].usd
	w("Compute is $%.4f: at %d MB Lambda gives a function about %d/1769 of a vCPU, so the CPU part of each\n", compute, memoryMB, memoryMB)
	w("invocation runs slower there than here; were every billed millisecond 14 times longer, compute would be\n")
	w("$%.2f, still not the largest term. Not counted: CloudWatch Logs ($0.50 per GB ingested: one JSON line per\n", compute*14)
	w("request plus Lambda's START/END/REPORT lines, about 1.5 KB per flow, near $0.75 per million flows), the\n")
	w("billed init of a cold start (rare on a warm function), the secret's $0.40 a month, and a getLink polled\n")
	w("more than once (each poll adds one HTTP API request, one invocation and one read unit, about $1.33 per\n")
	w("million polls).\n\n")
	dterms := deliveryCost(memoryMB)
	dtop, dtotal := largest(dterms)
	w("### Hand-off deliveries\n\n")
	w("With a callback URL or an Amazon Connect instance, each `upload.submitted` also goes through the\n")
	w("delivery queue to one more invocation (issue 10). Per million flows, for a delivery that succeeds on\n")
	w("its first try (%d ms billed assumed: a receiver's speed is not ours to measure):\n\n", deliveryMs)
	w("| term | per flow | per million flows |\n|---|---|---|\n")
	for _, t := range dterms {
		w("| %s | %s | $%.4f |\n", t.what, t.units, t.usd)
	}
	w("| **total** | | **$%.2f** |\n\n", dtotal)
	w("The largest term is **%s**. Amazon Connect's `UpdateContact` has no per-call price of its own; a\n", dtop.what)
	w("retry adds about one invocation, two SQS requests and one read unit ($1.13 per million retries).\n\n")
}

func (r *results) renderMisses(w writer) {
	w("## Targets not met\n\n")
	w("**Calls: a first webhook makes 3 DynamoDB calls (GetItem, PutItem, PutItem), not ≤ 2.** This is the\n")
	w("design, not an oversight. The contract forbids losing an event that passed the checks, and requires a\n")
	w("repeat of a published notification to publish nothing. So the connector stores the package (PutItem),\n")
	w("publishes, then marks the event published (PutItem). With only the store write, a repeat cannot tell a\n")
	w("published event from one whose publish failed, and must either republish every repeat or risk losing\n")
	w("one; with the mark folded into the first write (marking before publishing), a crash or an SNS failure\n")
	w("between the write and the publish loses the event, since the retry sees it marked. Meeting the target\n")
	w("would take a different delivery path with the same guarantee: store the package and publish from a\n")
	w("DynamoDB Stream consumer (or an outbox), which leaves GetItem + PutItem on the request path and drops the\n")
	w("mark, at the price of a second function, stream reads, and events that arrive a moment after the answer;\n")
	w("or publish first and store after, which turns a failed store into duplicate events. Each changes\n")
	w("the contract's semantics or the deployment, so it is a decision for the contract, not a tuning. The mark\n")
	w("costs one write unit per flow ($0.625 per million flows, in the cost above).\n\n")
	var other []string
	if r.zip.bytes > zipLimit {
		other = append(other, fmt.Sprintf("**Artifact**: the zip (%s) is %s, over 5 MiB. Most of the binary is the AWS SDK (three service clients and the default configuration chain with its SSO, STS and IMDS providers); building `aws.Config` from the environment alone would drop those.", r.zip.judged(), mib(r.zip.bytes)))
	}
	if conn, floor := r.coldMedian("connector"), r.coldMedian("Go floor"); conn/floor > coldLimit || r.coldEarly("connector") > 0 {
		other = append(other, fmt.Sprintf("**Cold start**: %.1f ms against the floor's %.1f ms (%.2f×), %d early AWS requests.", conn, floor, conn/floor, r.coldEarly("connector")))
	}
	for _, name := range r.warmOrder {
		ns, _, allocs := r.benchMedian(r.warm, name)
		if allocs > warmAllocLimit {
			other = append(other, fmt.Sprintf("**Warm handler, %s**: %.1f µs and %.0f allocs per call in this run. The allocation count is exact; the time is wall time on a shared machine (load average %s → %s), and the CPU time per call is in the table above. What remains is mostly encoding/json (the event, the sealed state, the response body) and the seal's AES-GCM and HMACs; going further would take a code-generated or hand-written JSON decoder for the event.",
				strings.TrimPrefix(name, "BenchmarkHandler/"), ns/1000, allocs, r.machine.loadStart, r.machine.loadEnd))
		}
	}
	for _, e := range e2eRoutes {
		if _, _, ratio := r.e2eRatio(e.name); ratio > e2eLimit {
			other = append(other, fmt.Sprintf("**End to end, %s**: %.2f× the floor in this run.", e.name, ratio))
		}
	}
	if base, last := r.rssGrowthKB(); r.warmRun.peakKB > rssLimitKB || last-base > flatLimitKB {
		other = append(other, fmt.Sprintf("**Memory**: peak %.1f MB, growth %+.1f MB after the warm-up.", float64(r.warmRun.peakKB)/1000, float64(last-base)/1000))
	}
	other = append(other, r.filesMisses()...)
	if len(other) == 0 {
		w("Every other target was met in this run.\n")
	}
	for _, o := range other {
		w("- %s\n", o)
	}
}
