package config_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestParseFileTypes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string // nil: an error
	}{
		{"pdf", []string{"pdf"}},
		{"pdf|xlsx", []string{"pdf", "xlsx"}},
		{"image/*,.txt", []string{"image/*", "txt"}},
		{" PDF | .Xlsx , Image/* ", []string{"pdf", "xlsx", "image/*"}},
		{"pdf,,xlsx|", []string{"pdf", "xlsx"}},
		{"pdf|.pdf|PDF", []string{"pdf"}},
		{"application/pdf,application/vnd.ms-excel", []string{"application/pdf", "application/vnd.ms-excel"}},
		{"*/*", []string{"*/*"}},
		{"image/svg+xml", []string{"image/svg+xml"}},
		{",|, ", nil},
		{"pdf;xlsx", nil},
		{"*/pdf", nil},
		{"image/", nil},
		{"/pdf", nil},
		{"a/b/c", nil},
		{"p df", nil},
		{"tar.gz", nil},
		{"*.pdf", nil},
	} {
		got, err := config.ParseFileTypes(tt.in)
		if tt.want == nil {
			if err == nil {
				t.Errorf("ParseFileTypes(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseFileTypes(%q): %v", tt.in, err)
			continue
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ParseFileTypes(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}

func TestParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64 // 0: an error
	}{
		{"1048576", 1048576},
		{"1", 1},
		{"10KB", 10_000},
		{"10kb", 10_000},
		{"10 MB", 10_000_000},
		{"1.5GB", 1_500_000_000},
		{"2GB", 2_000_000_000},
		{"10KiB", 10 << 10},
		{"10 kib", 10 << 10},
		{"100MiB", 100 << 20},
		{"1GiB", 1 << 30},
		{"512B", 512},
		{" 20MB ", 20_000_000},
		{"0", 0},
		{"0.5", 0},
		{"MB", 0},
		{"10XB", 0},
		{"10 MBs", 0},
		{"10M", 0},
		{"10TB", 0},
		{"-1", 0},
		{"1e6", 0},
		{"1.2.3MB", 0},
		{"ten MB", 0},
		{"99999999999GB", 0},
		{"", 0},
	} {
		got, err := config.ParseSize(tt.in)
		if tt.want == 0 {
			if err == nil {
				t.Errorf("ParseSize(%q) = %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestLoadFilePolicy(t *testing.T) {
	m := base()
	m[config.AllowedFileTypes] = "pdf|image/*"
	m[config.MaxFileSize] = "10MB"
	m[config.MaxFiles] = "5"
	m[config.EventsIncludeFileNames] = "true"
	got, err := config.Load(env(m))
	if err != nil {
		t.Fatal(err)
	}
	want := connector.FilePolicy{Types: []string{"pdf", "image/*"}, MaxSize: 10_000_000, MaxFiles: 5}
	if d := cmp.Diff(want, got.Service.Files); d != "" {
		t.Errorf("policy (-want +got):\n%s", d)
	}
	if !got.Service.EventsIncludeFileNames {
		t.Error("EventsIncludeFileNames not set")
	}
}

func TestLoadFilePolicyErrorsNameTheVariable(t *testing.T) {
	for _, tt := range []struct{ name, value string }{
		{config.AllowedFileTypes, "pdf;exe"},
		{config.AllowedFileTypes, " , | "},
		{config.MaxFileSize, "10 megabytes"},
		{config.MaxFileSize, "0"},
		{config.MaxFiles, "0"},
		{config.MaxFiles, "five"},
		{config.MaxFiles, "-3"},
		{config.EventsIncludeFileNames, "yes please"},
	} {
		m := base()
		m[tt.name] = tt.value
		_, err := config.Load(env(m))
		if err == nil {
			t.Errorf("%s=%q: no error", tt.name, tt.value)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.name+": ") || strings.Contains(msg, "\n") {
			t.Errorf("%s=%q: error %q does not name it on one line", tt.name, tt.value, msg)
		}
	}
}
