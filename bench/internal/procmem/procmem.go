// Package procmem reads a process's memory figures from Linux's /proc,
// for the benchmarks: bench/perf measures its children, bench/retrieve
// itself.
package procmem

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Status returns VmRSS and VmHWM (the peak RSS), in kB, of the process
// pid names: a number, or "self".
func Status(pid string) (rss, hwm int, err error) {
	name := "/proc/" + pid + "/status"
	f, err := os.Open(name)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(v)
		if !ok || len(fields) == 0 {
			continue
		}
		switch k {
		case "VmRSS":
			rss, _ = strconv.Atoi(fields[0])
		case "VmHWM":
			hwm, _ = strconv.Atoi(fields[0])
		}
	}
	if rss == 0 || hwm == 0 {
		return 0, 0, fmt.Errorf("no VmRSS or VmHWM in %s", name)
	}
	return rss, hwm, sc.Err()
}
