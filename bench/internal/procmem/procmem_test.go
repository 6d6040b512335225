package procmem

import "testing"

// TestStatus: this process has a resident set and a peak at least as
// large; a process that does not exist is an error.
func TestStatus(t *testing.T) {
	rss, hwm, err := Status("self")
	if err != nil || rss <= 0 || hwm < rss {
		t.Errorf("Status(self) = %d, %d, %v; want a positive RSS and a peak at least it", rss, hwm, err)
	}
	if _, _, err := Status("0"); err == nil {
		t.Error("Status(0): no error for a process that does not exist")
	}
}
