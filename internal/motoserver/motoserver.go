// Package motoserver starts moto_server, a real AWS emulator, for tests: on
// 127.0.0.1, on a free port, stopped when the test ends.
//
// Where moto_server is not installed, Start skips the test with a message,
// except under CI=true, where it fails: integration tests never skip
// silently in CI. `make test` installs moto_server first.
package motoserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Region is the region every client of the emulator uses.
const Region = "us-east-1"

// Server is a running moto_server.
type Server struct {
	// URL is the endpoint, e.g. http://127.0.0.1:41234.
	URL string
	cmd *exec.Cmd
	log *SyncBuffer
}

// ErrNotInstalled means moto_server is not on the PATH.
var ErrNotInstalled = errors.New("moto_server is not installed; run `make test`, which installs it, or `pip install 'moto[server]'`")

// Start starts a moto_server for tb and stops it when tb ends. It skips tb
// (fails it under CI=true) if moto_server is not installed.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s, err := Launch()
	if errors.Is(err, ErrNotInstalled) {
		if os.Getenv("CI") == "true" {
			tb.Fatal(err)
		}
		tb.Skip(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Launch starts a moto_server on a free port of 127.0.0.1 and waits until
// it answers; the caller stops it with Close. Start is the form for tests;
// Launch serves programs such as the benchmark driver. It returns
// ErrNotInstalled if moto_server is not on the PATH.
func Launch() (*Server, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("motoserver: free port: %w", err)
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port), log: &SyncBuffer{}}
	s.cmd = exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("motoserver: start: %w", err)
	}
	if err := s.waitReady(30 * time.Second); err != nil {
		s.Close()
		return nil, fmt.Errorf("motoserver: %w\n%s", err, s.log.String())
	}
	return s, nil
}

// Close stops the server.
func (s *Server) Close() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %v", limit)
}

// Config returns an SDK configuration that talks to the emulator with
// dummy credentials, as the connector does when AWS_ENDPOINT_URL is set.
func (s *Server) Config(tb testing.TB) aws.Config {
	tb.Helper()
	cfg, err := s.SDKConfig(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// SDKConfig is Config for a program: the error is returned.
func (s *Server) SDKConfig(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion(Region),
		config.WithBaseEndpoint(s.URL),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("testing", "testing", "")),
		config.WithRetryMaxAttempts(1),
	)
	if err != nil {
		return aws.Config{}, fmt.Errorf("motoserver: sdk config: %w", err)
	}
	return cfg, nil
}

// Env returns the environment variables that point the AWS SDK (and the
// AWS CLI) at the emulator.
func (s *Server) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL=" + s.URL,
		"AWS_REGION=" + Region,
		"AWS_DEFAULT_REGION=" + Region,
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
	}
}

// Reset drops everything the emulator holds.
func (s *Server) Reset(tb testing.TB) {
	tb.Helper()
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		tb.Fatalf("motoserver: reset: %v", err)
	}
	resp.Body.Close()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// SyncBuffer is a bytes.Buffer that may be written to concurrently: it
// collects the server's output for a failure message, and tests use it
// (as connectortest.SyncBuffer) for the output of servers they start. It is
// the one such buffer of the module.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Pause stops the server's process (SIGSTOP) without closing its socket:
// connections are accepted by the kernel and never answered, as with a
// dependency that hangs. Resume lets it go on.
func (s *Server) Pause() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume continues a paused server (SIGCONT).
func (s *Server) Resume() error { return s.cmd.Process.Signal(syscall.SIGCONT) }
