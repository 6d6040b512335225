package callback_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// startNodeReceiver runs script (of verifierDir) with node and args, with
// WEBHOOK_SECRET=secret; the receiver stops when the test ends (its stdin
// closed), and a failed exit fails the test. It returns next, which reads
// the receiver's next JSON line into v, failing the test if there is none.
func startNodeReceiver(t *testing.T, node, script string, secret connector.Secret, args ...string) (next func(v any)) {
	t.Helper()
	cmd := exec.Command(node, append([]string{script}, args...)...)
	cmd.Dir = verifierDir
	cmd.Env = append(os.Environ(), "WEBHOOK_SECRET="+string(secret))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s: %v\n%s", script, err, stderr.String())
		}
	})
	out := bufio.NewScanner(stdout)
	out.Buffer(nil, 1<<20)
	return func(v any) {
		t.Helper()
		if !out.Scan() {
			t.Fatalf("%s stopped: %v\n%s", script, out.Err(), stderr.String())
		}
		t.Logf("%s printed: %s", script, out.Text())
		if err := json.Unmarshal(out.Bytes(), v); err != nil {
			t.Fatalf("%s printed %q: %v", script, out.Text(), err)
		}
	}
}
