package connector

import (
	"strconv"
	"strings"
)

// FormatSize writes n bytes for a person, in powers of 1000 with one
// decimal where it matters: "512 B", "12.4 MB", "3 GB".
func FormatSize(n int64) string {
	if n < 1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	f, unit := float64(n), ""
	for _, u := range []string{"KB", "MB", "GB", "TB"} {
		f, unit = f/1000, u
		if f < 999.95 {
			break
		}
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + unit
}

// limitSize writes a size limit as an operator would have set it: in the
// largest binary unit (KiB, MiB, GiB) or decimal one (KB, MB, GB) that
// divides it exactly, else as FormatSize does.
func limitSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"GB", 1e9}, {"MiB", 1 << 20}, {"MB", 1e6}, {"KiB", 1 << 10}, {"KB", 1e3}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + " " + u.name
		}
	}
	return FormatSize(n)
}
