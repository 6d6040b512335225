package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"
)

// handWritten starts the part of the report that make bench keeps as it
// is: every section after it was written by hand (how a setting that no
// run here can measure was chosen), and a new run writes its figures
// above it.
const handWritten = "<!-- Hand-written below: make bench keeps everything from this line on. -->"

// keepHandWritten returns report followed by the hand-written part of
// the report at path, if it has one.
func keepHandWritten(path, report string) (string, error) {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return report, nil
	}
	if err != nil {
		return "", err
	}
	return withHandWritten(report, string(old)), nil
}

// withHandWritten returns report followed by old's part from the
// handWritten line on.
func withHandWritten(report, old string) string {
	i := strings.Index(old, handWritten)
	if i < 0 {
		return report
	}
	return strings.TrimRight(report, "\n") + "\n\n" + old[i:]
}
