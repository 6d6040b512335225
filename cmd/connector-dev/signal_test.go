package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildDev builds connector-dev into a temporary folder and returns its
// path. The packages are in the build cache by then, so it links only.
func buildDev(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "connector-dev")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startedDev is a connector-dev process started by a test.
type startedDev struct {
	cmd            *exec.Cmd
	exited         chan struct{} // closed when cmd.Wait returns, with waitErr set
	waitErr        error
	stdout, stderr *syncBuffer
	connectorURL   string // from the banner
	pageURL        string
}

// startDevProcess starts bin (with extra environment) on free ports and
// waits for its banner.
func startDevProcess(t *testing.T, bin string, extraEnv ...string) *startedDev {
	t.Helper()
	p := &startedDev{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	p.cmd = exec.Command(bin)
	p.cmd.Env = append(os.Environ(), append([]string{envPort + "=0", envPagePort + "=0", envSendSafelyPort + "=0", envVerified + "=false", envData + "=" + t.TempDir(), envAPIToken + "="}, extraEnv...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.exited = make(chan struct{})
	go func() { p.waitErr = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.exited })
	banner := regexp.MustCompile(`connector API +(http://127\.0\.0\.1:\d+)/[\s\S]*upload page +(http://127\.0\.0\.1:\d+)/[\s\S]*Ctrl-C stops`)
	for deadline := time.Now().Add(20 * time.Second); ; {
		if m := banner.FindStringSubmatch(p.stderr.String()); m != nil {
			p.connectorURL, p.pageURL = m[1], m[2]
			return p
		}
		select {
		case <-p.exited:
			t.Fatalf("connector-dev exited before its banner: %s", p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no banner: %s", p.stderr.String())
		}
	}
}

// wait waits for the process to exit and returns its exit status.
func (p *startedDev) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		err := p.waitErr
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode() // -1 if a signal killed it
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(20 * time.Second):
		t.Fatal("connector-dev did not stop")
		return 0
	}
}

// TestStopsCleanlyOnSignal: Ctrl-C (SIGINT) and SIGTERM stop the server
// gracefully with exit status 0, and stdout carried nothing but the events,
// one JSON object a line.
func TestStopsCleanlyOnSignal(t *testing.T) {
	bin := buildDev(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			p := startDevProcess(t, bin)
			key, err := os.ReadFile(filepath.Join(strings.TrimPrefix(envOf(p.cmd, envData), envData+"="), keyFileName))
			if err != nil {
				t.Fatal(err)
			}
			d := &dev{devServer: &devServer{connectorURL: p.connectorURL}}
			id, _ := d.generateID(t)
			var out bytes.Buffer
			args := []string{"notify", "-url", p.connectorURL + "/webhook", "-key", strings.TrimSpace(string(key)), "-upload-id", id, "-email", testEmail}
			if err := run(context.Background(), args, func(string) string { return "" }, &out, io.Discard); err != nil {
				t.Fatalf("notify: %v\n%s", err, out.String())
			}

			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if code := p.wait(t); code != 0 {
				t.Errorf("exit status %d, want 0\n%s", code, p.stderr.String())
			}
			if !strings.Contains(p.stderr.String(), "connector-dev: stopping") {
				t.Errorf("stderr does not say it stopped:\n%s", p.stderr.String())
			}
			lines := 0
			for sc := bufio.NewScanner(strings.NewReader(p.stdout.String())); sc.Scan(); lines++ {
				var ev map[string]any
				if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev["type"] == nil {
					t.Errorf("stdout line %q is not an event", sc.Text())
				}
			}
			if lines != 1 {
				t.Errorf("stdout has %d lines, want the one event:\n%s", lines, p.stdout.String())
			}
		})
	}
}

// envOf returns the last entry of cmd's environment for name, "name=value".
func envOf(cmd *exec.Cmd, name string) string {
	for i := len(cmd.Env) - 1; i >= 0; i-- {
		if strings.HasPrefix(cmd.Env[i], name+"=") {
			return cmd.Env[i]
		}
	}
	return ""
}

// TestStopAnswersAWaitingClient: Ctrl-C while a getLink waits (wait 25)
// answers that client Pending and exits 0, rather than holding the stop
// until the wait is over or the shutdown's grace has run out.
func TestStopAnswersAWaitingClient(t *testing.T) {
	p := startDevProcess(t, buildDev(t))
	d := &dev{devServer: &devServer{connectorURL: p.connectorURL}}
	id, _ := d.generateID(t)

	type answer struct {
		status int
		body   map[string]any
		err    error
	}
	got := make(chan answer, 1)
	sent := make(chan struct{})
	go func() {
		body := `{"action":"getLink","uploadId":"` + id + `","email":"` + testEmail + `","wait":25}`
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(sent) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodPost, p.connectorURL+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		var m map[string]any
		err = json.NewDecoder(resp.Body).Decode(&m)
		got <- answer{resp.StatusCode, m, err}
	}()
	// A request on a connection opened after the waiting one's: the server
	// accepts in order, so once this is answered it has accepted the
	// waiting one too, and the stop cannot close that one unread.
	<-sent
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Post(p.connectorURL+"/", "application/json",
		strings.NewReader(`{"action":"generateId"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	a := <-got
	if a.err != nil || a.status != 200 || a.body["Result"] != "Pending" {
		t.Errorf("the waiting client got %d %v %v, want 200 Pending", a.status, a.body, a.err)
	}
	if code := p.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0\n%s", code, p.stderr.String())
	}
}
