package main

import "fmt"

// filesPricesDate is when the files prices below were written down: the
// published us-east-1 prices as known on that date (S3 Standard, KMS;
// Lambda and SQS are those of cost.go). Check them before relying on the
// result.
const filesPricesDate = "2026-12-04"

var (
	priceS3Write   = price{"S3 Standard PUT, COPY, POST, LIST requests", "$0.005 per 1,000 requests", 0.005 / 1000}
	priceS3Read    = price{"S3 Standard GET, HEAD and other requests", "$0.0004 per 1,000 requests (DELETE is free)", 0.0004 / 1000}
	priceS3Storage = price{"S3 Standard storage", "$0.023 per GB-month (the first 50 TB)", 0.023}
	priceKMSCalls  = price{"KMS requests", "$0.03 per 10,000 requests", 0.03 / 10000}
	priceKMSKey    = price{"KMS customer managed key", "$1.00 per key per month", 1}
)

var filesPrices = []price{priceLambdaGBs, priceLambdaReq, priceSQSRequests, priceS3Write, priceS3Read, priceS3Storage, priceKMSCalls, priceKMSKey}

// What a retrieval's request counts follow from (internal/connector,
// internal/sendsafely, template.yaml).
const (
	ssFirstPart     = 655360  // the browser uploader's first part
	ssPart          = 2621440 // SendSafely's part size
	rangeParts      = 400     // FILES_RANGE_PARTS' default
	objectPartBytes = 8 << 20 // the multipart part size of a range up to ~80 GB
	filesMemoryMB   = 1024    // FilesFunction's MemorySize
	fullVCPUMB      = 1769    // Lambda gives one vCPU at 1,769 MB, less in proportion
	// Assumed, not measured here: a range's network rate on Lambda
	// (SendSafely's part storage in, S3 out, both in AWS) and the fixed
	// time of an invocation (records, S3's small calls, the queue).
	assumedNetMBps  = 50.0
	assumedFixedSec = 0.1
	retentionDays   = 30 // FilesRetentionDays' default
)

// fileRequests are the requests one file of size bytes costs, in a
// package of its own.
type fileRequests struct {
	ssParts, ranges, objectParts int
	s3Writes, s3Reads, s3Deletes int
	sqs, kms, kmsNoBucketKey     int
	invocations                  int
	lambdaSeconds                float64 // billed time of all invocations
}

// countRequests counts what retrieving one file of size bytes asks of
// AWS. cpuPerByte is the CPU time per byte measured for ours in one range
// (it is scaled to the files function's share of a vCPU).
func countRequests(size int64, cpuPerByte float64) fileRequests {
	var q fileRequests
	q.ssParts = 1
	if size > ssFirstPart {
		q.ssParts += int((size - ssFirstPart + ssPart - 1) / ssPart)
	}
	q.ranges = (q.ssParts + rangeParts - 1) / rangeParts
	q.objectParts = int((size+objectPartBytes-1)/objectPartBytes) + q.ranges - 1
	// CreateMultipartUpload, the parts, CompleteMultipartUpload and the
	// promotion's CopyObject; its HeadObject (and, for a file of more than
	// one range, one GetObject to take the SHA-256); its DeleteObject.
	q.s3Writes = 1 + q.objectParts + 1 + 1
	q.s3Reads = 1
	if q.ranges > 1 {
		q.s3Reads++
	}
	q.s3Deletes = 1
	// upload.submitted: SNS's send to the files queue, the event source
	// mapping's receive and delete; the fan-out's SendMessageBatch (up to
	// 10 jobs); each range job's receive and delete.
	q.sqs = 3 + (q.ranges+9)/10 + 2*q.ranges
	// With the bucket key S3 asks KMS only for a bucket-level key now and
	// then; counted at the worst, as if each file needed one for the
	// write (GenerateDataKey at the start, Decrypt at completion) and the
	// copy (Decrypt, GenerateDataKey). Without it each part adds one.
	q.kms = 4
	q.kmsNoBucketKey = q.kms + q.objectParts
	q.invocations = 1 + q.ranges
	share := float64(filesMemoryMB) / fullVCPUMB
	cpuBound := cpuPerByte * float64(size) / share
	netBound := float64(size) / (assumedNetMBps * 1e6)
	q.lambdaSeconds = assumedFixedSec*float64(q.invocations) + max(cpuBound, netBound)
	return q
}

// filesCost returns the monthly terms of retrieving n files of size
// bytes each, and keeping them FilesRetentionDays.
func filesCost(n int, size int64, cpuPerByte float64) []costTerm {
	q := countRequests(size, cpuPerByte)
	f := float64(n)
	gb := float64(filesMemoryMB) / 1024
	storedGB := f * float64(size) / 1e9
	return []costTerm{
		{priceLambdaGBs.what, fmt.Sprintf("%.1f s × %.0f GB × %d", q.lambdaSeconds, gb, n), f * q.lambdaSeconds * gb * priceLambdaGBs.usd},
		{priceLambdaReq.what, fmt.Sprintf("%d × %d", q.invocations, n), f * float64(q.invocations) * priceLambdaReq.usd},
		{priceSQSRequests.what, fmt.Sprintf("%d × %d", q.sqs, n), f * float64(q.sqs) * priceSQSRequests.usd},
		{priceS3Write.what, fmt.Sprintf("%d × %d (%d parts of 8 MiB)", q.s3Writes, n, q.objectParts), f * float64(q.s3Writes) * priceS3Write.usd},
		{priceS3Read.what, fmt.Sprintf("%d × %d", q.s3Reads, n), f * float64(q.s3Reads) * priceS3Read.usd},
		{priceS3Storage.what, fmt.Sprintf("%.1f GB kept %d days", storedGB, retentionDays), storedGB * retentionDays / 30 * priceS3Storage.usd},
		{priceKMSCalls.what + ", bucket key", fmt.Sprintf("≤ %d × %d", q.kms, n), f * float64(q.kms) * priceKMSCalls.usd},
	}
}

// cpuPerByte is ours' CPU time per byte in one range, the median of the
// runs (0 without runs).
func (f *filesResults) cpuPerByte() float64 {
	var xs []float64
	for _, r := range f.retrievals {
		if r.subject == byOursOne && r.size > 0 {
			xs = append(xs, r.cpuSeconds/float64(r.size))
		}
	}
	return median(xs)
}

// renderFilesCost writes the cost of retrieving 1 GB a month.
func (r *results) renderFilesCost(w writer) {
	cpb := r.files.cpuPerByte()
	big := countRequests(1e9, cpb)
	small := countRequests(10e6, cpb)
	w("## Files: the cost of retrieving 1 GB a month\n\n")
	w("Prices, us-east-1, as published and written down on %s (Lambda and SQS as on %s, above); free\n", filesPricesDate, pricesDate)
	w("tiers left out; check them before relying on the total.\n\n| service | price |\n|---|---|\n")
	for _, p := range filesPrices {
		w("| %s | %s |\n", p.what, p.shown)
	}
	w("\nWhat one file costs, counted from the code: SendSafely's parts are 2,621,440 bytes (the browser's first is\n")
	w("655,360); a job retrieves at most %d of them (`FILES_RANGE_PARTS`), so a file of up to about 1 GB is one range;\n", rangeParts)
	w("a range is written as S3 multipart parts of 8 MiB; promotion is one HeadObject, one CopyObject and one DeleteObject.\n\n")
	w("| | one 1 GB file | one 10 MB file |\n|---|---|---|\n")
	w("| SendSafely parts (downloaded from SendSafely's storage, not billed by AWS) | %d | %d |\n", big.ssParts, small.ssParts)
	w("| ranges (range jobs) | %d | %d |\n", big.ranges, small.ranges)
	w("| S3 PUT-class: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, CopyObject | %d (%d parts) | %d (%d parts) |\n", big.s3Writes, big.objectParts, small.s3Writes, small.objectParts)
	w("| S3 GET-class: HeadObject (and a GetObject for the SHA-256 of a file of several ranges) | %d | %d |\n", big.s3Reads, small.s3Reads)
	w("| S3 DeleteObject (free) | %d | %d |\n", big.s3Deletes, small.s3Deletes)
	w("| SQS: upload.submitted (SNS's send, receive, delete), the fan-out's SendMessageBatch, each range's receive and delete | %d | %d |\n", big.sqs, small.sqs)
	w("| KMS with the bucket key (at most; usually fewer) / without it | ≤ %d / %d | ≤ %d / %d |\n", big.kms, big.kmsNoBucketKey, small.kms, small.kmsNoBucketKey)
	w("| Lambda invocations (the fan-out, each range) | %d | %d |\n", big.invocations, small.invocations)
	w("| Lambda billed time at %d MB (estimate, below) | %.1f s | %.2f s |\n\n", filesMemoryMB, big.lambdaSeconds, small.lambdaSeconds)
	for _, c := range []struct {
		title string
		n     int
		size  int64
	}{{"as one 1 GB file", 1, 1e9}, {"as 100 files of 10 MB, each in an upload of its own", 100, 10e6}} {
		terms := filesCost(c.n, c.size, cpb)
		top, total := largest(terms)
		w("1 GB a month %s:\n\n| term | per month | $ per month |\n|---|---|---|\n", c.title)
		for _, t := range terms {
			w("| %s | %s | $%.6f |\n", t.what, t.units, t.usd)
		}
		w("| **total** | | **$%.4f** |\n\n", total)
		w("The largest term is **%s**. Fixed besides: the KMS key's $1.00 a month (the stack's `FilesKey`), and the\n", top.what)
		w("event source mapping's long polls of the idle files queue (a few pollers, each a ReceiveMessage every 20 s:\n")
		w("some 650,000 requests, about $0.26 a month, within SQS's free million).\n\n")
	}
	w("The Lambda time is an estimate, not a measurement on Lambda: the larger of the CPU-bound time, ours' CPU time per\n")
	w("byte in one range measured above (%.1f ns per byte on this machine, the directory store's double write included)\n", cpb*1e9)
	w("scaled to the %d/%d of a vCPU that %d MB gets, and a network-bound time at an assumed %.0f MB/s; plus an\n", filesMemoryMB, fullVCPUMB, filesMemoryMB, assumedNetMBps)
	w("assumed %.1f s per invocation for its records and S3's small calls. Measure it on a deployment (the REPORT\n", assumedFixedSec)
	w("lines' Billed Duration) before relying on it.\n\n")
}
