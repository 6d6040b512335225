package main

import "fmt"

// pricesDate is when the prices below were written down. They are the
// published us-east-1 on-demand prices as known on that date; check them
// against the AWS pricing pages before relying on the result.
const pricesDate = "2026-11-21"

// price is one unit price: usd dollars per unit, as published (shown).
type price struct {
	what  string
	shown string
	usd   float64
}

// The prices the cost row uses (us-east-1).
var (
	priceLambdaGBs    = price{"Lambda arm64 compute", "$0.0000133334 per GB-second", 0.0000133334}
	priceLambdaReq    = price{"Lambda requests", "$0.20 per million requests", 0.20 / 1e6}
	priceHTTPAPI      = price{"API Gateway HTTP API", "$1.00 per million requests (the first 300 million a month)", 1.00 / 1e6}
	priceDynamoWrite  = price{"DynamoDB on-demand writes", "$0.625 per million write request units", 0.625 / 1e6}
	priceDynamoRead   = price{"DynamoDB on-demand reads", "$0.125 per million read request units", 0.125 / 1e6}
	priceSNSPublish   = price{"SNS standard publishes", "$0.50 per million publishes (64 KB each)", 0.50 / 1e6}
	priceSecretsCalls = price{"Secrets Manager API calls", "$0.05 per 10,000 calls", 0.05 / 10000}
	priceSQSRequests  = price{"SQS standard requests", "$0.40 per million requests (64 KB each)", 0.40 / 1e6}
)

var prices = []price{priceLambdaGBs, priceLambdaReq, priceHTTPAPI, priceDynamoWrite, priceDynamoRead, priceSNSPublish, priceSecretsCalls, priceSQSRequests}

// deliveryMs is the billed time assumed for one delivery: a callback to a
// receiver that answers within a few tens of milliseconds, a table read and
// Amazon Connect's UpdateContact. Not measured by make bench (a receiver's
// speed is not ours to measure); stated so the reader can scale it.
const deliveryMs = 100

// deliveryCost is what hand-off adds to a million flows: each
// upload.submitted is queued by SNS (SNS to SQS costs no publish charge;
// the queue bills the send), received and deleted by the event source
// mapping, delivered by one invocation that reads the link (one read
// unit) and calls the receivers. Retries add one receive, one visibility
// change and one invocation each.
func deliveryCost(memoryMB int) []costTerm {
	const million = 1e6
	gb := float64(memoryMB) / 1024
	return []costTerm{
		{priceSQSRequests.what, "3 requests (send, receive, delete)", 3 * priceSQSRequests.usd * million},
		{priceLambdaReq.what, "1 invocation (a batch of one, the worst case)", priceLambdaReq.usd * million},
		{priceLambdaGBs.what, fmt.Sprintf("%d ms billed × %.3f GB (assumed)", deliveryMs, gb), deliveryMs / 1000.0 * gb * priceLambdaGBs.usd * million},
		{priceDynamoRead.what, "1 strongly consistent read (the link)", priceDynamoRead.usd * million},
	}
}

// costTerm is one line of the cost of a million flows.
type costTerm struct {
	what  string
	units string  // how many of what, per flow, in words
	usd   float64 // per million flows
}

// flowCost is the cost of one million chat flows (generateId, a first
// webhook delivery, one getLink) from the billed milliseconds of each
// route, the function's memory, and the AWS calls each route makes
// (TestAWSCallsPerRoute). Items under 1 KB cost one write unit each, and
// strongly consistent reads of items under 4 KB one read unit each; the
// caller checks the item size.
func flowCost(billed map[string]float64, memoryMB int) []costTerm {
	gb := float64(memoryMB) / 1024
	var seconds float64
	for _, r := range flowRoutes {
		seconds += billed[r] / 1000
	}
	const million = 1e6
	return []costTerm{
		{priceLambdaGBs.what, fmt.Sprintf("%.0f ms billed × %.3f GB", seconds*1000, gb), seconds * gb * priceLambdaGBs.usd * million},
		{priceLambdaReq.what, "3 invocations", 3 * priceLambdaReq.usd * million},
		{priceHTTPAPI.what, "3 requests", 3 * priceHTTPAPI.usd * million},
		{priceDynamoWrite.what, "3 writes (generateId 1, webhook 2)", 3 * priceDynamoWrite.usd * million},
		{priceDynamoRead.what, "2 strongly consistent reads (webhook 1, getLink 1)", 2 * priceDynamoRead.usd * million},
		{priceSNSPublish.what, "1 publish", 1 * priceSNSPublish.usd * million},
		{priceSecretsCalls.what, "0 while cached (one call per instance per SECRET_CACHE_TTL)", 0},
	}
}

// largest returns the most expensive term and the total.
func largest(terms []costTerm) (costTerm, float64) {
	var top costTerm
	var total float64
	for _, t := range terms {
		total += t.usd
		if t.usd > top.usd {
			top = t
		}
	}
	return top, total
}
