package main

import (
	"math"
	"slices"
	"time"
)

// median returns the median of xs, 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// percentile returns the p-th percentile (0–100) of xs, nearest rank.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// ms returns durations in milliseconds.
func ms(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(time.Millisecond)
	}
	return out
}

// billedMs returns the mean billed duration of invocations that took ds:
// Lambda bills each invocation in whole milliseconds, rounded up.
func billedMs(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	var sum float64
	for _, d := range ds {
		sum += math.Ceil(float64(d) / float64(time.Millisecond))
	}
	return sum / float64(len(ds))
}

// e2eMetric returns the median over the runs of a route's metric unit,
// or 0 if it reports none.
func (r *results) e2eMetric(route, unit string) float64 {
	var xs []float64
	for _, b := range r.e2e["BenchmarkE2E/"+route] {
		if v, ok := b.metrics[unit]; ok {
			xs = append(xs, v)
		}
	}
	if len(xs) == 0 {
		return 0
	}
	return median(xs)
}
