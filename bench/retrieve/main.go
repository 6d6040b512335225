// Command retrieve is the files part of `make bench` (bench/perf runs it):
// each measurement is a process of its own, so that its peak memory is
// its own.
//
//	retrieve standin -dir D -sizes 104857600,1073741824
//	    serves the SendSafely stand-in on 127.0.0.1 with one package per
//	    size, each holding one generated file (AddGeneratedFileOnDisk: its
//	    parts encrypted once into D at setup, then served from disk as S3
//	    serves stored ciphertext, so serving costs no encryption and no
//	    file is held in memory), prints the setup as one JSON line and
//	    serves until stdin closes.
//	retrieve ours -setup S -size N -dir D [-range-parts P]
//	    retrieves the file of size N as `make run` does: a service in
//	    verified mode on in-memory parts, the real SendSafely client, the
//	    directory store and in-process jobs (memory.Jobs) running
//	    connector.Retriever, from the package's fan-out to the file stored.
//	retrieve floor -setup S -size N -dir D
//	    the floor: download-urls, a plain HTTP GET of each part, go-crypto
//	    decrypting it, written to a file; nothing else.
//	retrieve forward -size N -dir D
//	    the file callback posting a stored file of N bytes from the
//	    directory store to a receiver in the process (forward.go).
//
// ours, floor and forward print one JSON line (result): the time of the work, the
// file written, and the memory the process grew by while doing it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/sendsafely/chatbot-connector/bench/internal/procmem"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: retrieve standin|ours|floor|forward [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dir := fs.String("dir", "", "the directory to write into")
	setupPath := fs.String("setup", "", "the stand-in's setup (JSON), for ours and floor")
	size := fs.Int64("size", 0, "the size of the file to retrieve, for ours and floor")
	sizes := fs.String("sizes", "", "the sizes of the files to make, comma-separated, for standin")
	rangeParts := fs.Int("range-parts", 0, "parts per range (FILES_RANGE_PARTS), for ours; 0 for the default")
	_ = fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "standin":
		err = standIn(*dir, *sizes)
	case "ours", "floor":
		err = measure(os.Args[1], *setupPath, *size, *dir, *rangeParts)
	case "forward":
		var res result
		if res, err = forward(*size, *dir); err == nil {
			err = json.NewEncoder(os.Stdout).Encode(res)
		}
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "retrieve:", err)
		os.Exit(1)
	}
}

// setup is what standin prints: how to reach the stand-in and its files.
type setup struct {
	URL, Host, APIKey, APISecret string
	KeyID, PrivateKeyFile        string
	Email, DropzoneID            string
	ValidationKey                string
	Files                        []setupFile
}

// setupFile is one generated file, in a package of its own.
type setupFile struct {
	Size                                                    int64
	UploadID, PackageID, PackageCode, KeyCode, ServerSecret string
	Parts                                                   int
	FileID, Name, Link                                      string
	Sha256                                                  string // of the content
}

// result is what ours and floor print.
type result struct {
	Seconds float64 // the work: from the fan-out job (ours) or the first call (floor) to the file written
	Path    string  // the file written
	Bytes   int64
	// BaseRSSKB is the process's RSS just before the work; PeakRSSKB its
	// peak RSS (VmHWM, reset just before the work) at the end.
	BaseRSSKB, PeakRSSKB int
}

func measure(mode, setupPath string, size int64, dir string, rangeParts int) error {
	raw, err := os.ReadFile(setupPath)
	if err != nil {
		return err
	}
	var s setup
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	var f *setupFile
	for i := range s.Files {
		if s.Files[i].Size == size {
			f = &s.Files[i]
		}
	}
	if f == nil || dir == "" {
		return fmt.Errorf("no file of %d bytes in the setup, or no -dir", size)
	}
	var res result
	if mode == "ours" {
		res, err = ours(s, *f, dir, rangeParts)
	} else {
		res, err = floor(s, *f, dir)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

// startWork resets the peak RSS and returns the RSS now and the time, for
// the work about to start.
func startWork() (baseKB int, start time.Time, err error) {
	// "5" resets VmHWM to the current RSS (Linux 4.0 and later).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return 0, time.Time{}, fmt.Errorf("reset the peak RSS: %w", err)
	}
	rss, _, err := memStatus()
	return rss, time.Now(), err
}

// memStatus reads VmRSS and VmHWM (peak RSS), in kB, of this process.
func memStatus() (rss, hwm int, err error) { return procmem.Status("self") }

// endWork fills in res's time and memory for work started at start.
func endWork(res *result, baseKB int, start time.Time) error {
	res.Seconds = time.Since(start).Seconds()
	_, hwm, err := memStatus()
	res.BaseRSSKB, res.PeakRSSKB = baseKB, hwm
	return err
}
