package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeRun runs `make run` as the README says, from the repository's
// root, and stops it as a person would: Ctrl-C in the terminal (SIGINT to
// the whole process group), or a SIGTERM to connector-dev. make says it is
// building, echoes nothing to stdout (the events' stream) and reports no
// error: connector-dev exits 0, and make either exits 0 or, as make does
// for a Ctrl-C it received itself, re-raises the signal, silently.
func TestMakeRun(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		stop func(t *testing.T, make *os.Process)
		// wantSignal is how make ends: 0 for exit status 0, else the
		// signal it re-raised.
		wantSignal syscall.Signal
	}{
		{"Ctrl-C", func(t *testing.T, make *os.Process) {
			if err := syscall.Kill(-make.Pid, syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
		}, syscall.SIGINT},
		{"SIGTERM to connector-dev", func(t *testing.T, make *os.Process) {
			pid := onlyChild(t, make.Pid)
			if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &startedDev{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
			p.cmd = exec.Command("make", "run")
			p.cmd.Dir = root
			p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			p.cmd.Env = append(os.Environ(), "MAKEFLAGS=", "MAKELEVEL=", "MFLAGS=", envPort+"=0", envPagePort+"=0", envSendSafelyPort+"=0", envData+"="+t.TempDir(), envAPIToken+"=")
			p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
			if err := p.cmd.Start(); err != nil {
				t.Fatal(err)
			}
			p.exited = make(chan struct{})
			go func() { p.waitErr = p.cmd.Wait(); close(p.exited) }()
			t.Cleanup(func() { _ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL); <-p.exited })
			for deadline := time.Now().Add(3 * time.Minute); !strings.Contains(p.stderr.String(), "Ctrl-C stops"); {
				select {
				case <-p.exited:
					t.Fatalf("make run exited before the banner: %v\n%s", p.waitErr, p.stderr.String())
				case <-time.After(50 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					t.Fatalf("no banner: %s", p.stderr.String())
				}
			}
			if !strings.HasPrefix(p.stderr.String(), "building connector-dev (the first build takes a minute)…\n") {
				t.Errorf("stderr does not start with the build message:\n%s", p.stderr.String())
			}
			tt.stop(t, p.cmd.Process)
			select {
			case <-p.exited:
			case <-time.After(30 * time.Second):
				t.Fatal("make run did not stop")
			}
			var status syscall.WaitStatus
			if ps := p.cmd.ProcessState; ps != nil {
				status = ps.Sys().(syscall.WaitStatus)
			}
			switch {
			case tt.wantSignal == 0 && (status.Signaled() || status.ExitStatus() != 0):
				t.Errorf("make: %v, want exit status 0", p.waitErr)
			case tt.wantSignal != 0 && !(status.Signaled() && status.Signal() == tt.wantSignal) && !(status.Exited() && status.ExitStatus() == 0):
				t.Errorf("make: %v, want exit status 0 or the %v it re-raised", p.waitErr, tt.wantSignal)
			}
			// GNU make 4.3 (Debian 12's) can lose the race between its own
			// SIGINT handler and the reaping of a child that the same Ctrl-C
			// stopped, and then says "make: *** wait: No child processes.
			// Stop." although connector-dev stopped cleanly: that line alone
			// is make's, not ours, and only after a Ctrl-C.
			makeErr := p.stderr.String()
			if tt.wantSignal == syscall.SIGINT {
				makeErr = strings.ReplaceAll(makeErr, "make: *** wait: No child processes.", "")
			}
			if strings.Contains(makeErr, "make: ***") || !strings.Contains(p.stderr.String(), "connector-dev: stopping") {
				t.Errorf("stderr, want a clean stop and no make error:\n%s", p.stderr.String())
			}
			if p.stdout.String() != "" {
				t.Errorf("stdout %q, want nothing: no event happened, and make echoes nothing", p.stdout.String())
			}
			var exit *exec.ExitError
			if p.waitErr != nil && !errors.As(p.waitErr, &exit) {
				t.Errorf("wait: %v", p.waitErr)
			}
		})
	}
}

// onlyChild returns the one child process of pid: connector-dev, which the
// recipe's shell exec'd into.
func onlyChild(t *testing.T, pid int) int {
	t.Helper()
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(pid) + "/children")
	if err != nil {
		t.Skipf("cannot list make's children: %v", err)
	}
	fields := strings.Fields(string(raw))
	if len(fields) != 1 {
		t.Fatalf("make has children %q, want one", fields)
	}
	child, err := strconv.Atoi(fields[0])
	if err != nil {
		t.Fatal(err)
	}
	if exe, _ := os.Readlink("/proc/" + fields[0] + "/exe"); filepath.Base(exe) != "connector-dev" {
		t.Fatalf("make's child is %s, want connector-dev", exe)
	}
	return child
}
