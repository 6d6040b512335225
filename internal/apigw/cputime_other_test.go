//go:build !unix

package apigw_test

import "time"

// cpuTime is not measured here: BenchmarkHandler then reports no CPU time.
func cpuTime() time.Duration { return 0 }
