package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/sendsafely/chatbot-connector/bench/internal/procmem"
)

// The routes of one chat flow, in the order a flow calls them.
var flowRoutes = []string{"generateId", "webhook", "getLink"}

// warmResult is what one process did over many warm invocations.
type warmResult struct {
	invocations int
	samples     []rssSample                // RSS as the run went on
	peakKB      int                        // VmHWM at the end: the peak RSS
	durations   map[string][]time.Duration // per route: event handed out to answer
}

type rssSample struct {
	after int // invocations done
	kB    int
}

// warmRun starts the connector once and sends it n invocations, chat flows
// of generateId, webhook (a first delivery) and getLink, sampling its RSS
// 20 times along the way.
func warmRun(ctx context.Context, c *cloud, bin string, n int) (warmResult, error) {
	res := warmResult{invocations: n, durations: map[string][]time.Duration{}}
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = c.env()
	cmd.Dir = c.home
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	every := max(n/20, 1)
	var uploadID string
	for i := range n {
		route := flowRoutes[i%len(flowRoutes)]
		var event []byte
		switch route {
		case "generateId":
			event = c.generateIDEvent()
		case "webhook":
			event = c.webhookEvent(uploadID, "PKG-"+strconv.Itoa(i))
		default:
			event = c.getLinkEvent(uploadID)
		}
		inv, err := c.rt.invoke(ctx, event, 30*time.Second)
		if err != nil {
			return res, fmt.Errorf("invocation %d (%s): %w", i+1, route, err)
		}
		answer, err := decodeAnswer(inv.answer)
		if err != nil {
			return res, fmt.Errorf("invocation %d (%s): %w", i+1, route, err)
		}
		if route == "generateId" {
			var body struct{ UploadId string }
			if err := json.Unmarshal([]byte(answer.Body), &body); err != nil || body.UploadId == "" {
				return res, fmt.Errorf("generateId answered %q", answer.Body)
			}
			uploadID = body.UploadId
		}
		res.durations[route] = append(res.durations[route], inv.at.Sub(inv.handed))
		if (i+1)%every == 0 {
			rss, _, err := memStatus(cmd.Process.Pid)
			if err != nil {
				return res, err
			}
			res.samples = append(res.samples, rssSample{after: i + 1, kB: rss})
		}
	}
	_, hwm, err := memStatus(cmd.Process.Pid)
	res.peakKB = hwm
	return res, err
}

// memStatus reads VmRSS and VmHWM (peak RSS), in kB, of process pid.
func memStatus(pid int) (rss, hwm int, err error) { return procmem.Status(strconv.Itoa(pid)) }
