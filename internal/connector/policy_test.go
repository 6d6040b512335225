package connector_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestMediaType(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"statement.pdf", "application/pdf"},
		{"STATEMENT.PDF", "application/pdf"},
		{"id-front.JPG", "image/jpeg"},
		{"photo.jpeg", "image/jpeg"},
		{"payslip.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"notes.txt", "text/plain"},
		{"data.csv", "text/csv"},
		{"scan.png", "image/png"},
		{"scan.heic", "image/heic"},
		{"archive.tar.gz", "application/gzip"},
		{"setup.exe", "application/vnd.microsoft.portable-executable"},
		{"README", connector.OctetStream},
		{".profile", connector.OctetStream},
		{"file.", connector.OctetStream},
		{"file.unknownext", connector.OctetStream},
		{"folder.pdf/report", connector.OctetStream},
		{`C:\Users\me\report.docx`, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"  report.pdf  ", "application/pdf"},
		{"", connector.OctetStream},
	} {
		if got := connector.MediaType(tt.name); got != tt.want {
			t.Errorf("MediaType(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAllowsType(t *testing.T) {
	for _, tt := range []struct {
		name  string
		types []string
		file  string
		want  bool
	}{
		{"no list allows all", nil, "setup.exe", true},
		{"extension", []string{"pdf", "xlsx"}, "a.pdf", true},
		{"extension with dot", []string{".pdf"}, "a.pdf", true},
		{"extension, other case", []string{"PDF"}, "a.Pdf", true},
		{"extension not listed", []string{"pdf", "xlsx"}, "setup.exe", false},
		{"no extension", []string{"pdf"}, "pdf", false},
		{"only the last extension counts", []string{"pdf"}, "a.pdf.exe", false},
		{"media type", []string{"application/pdf"}, "a.pdf", true},
		{"media type, other case", []string{"Application/PDF"}, "a.PDF", true},
		{"media type not listed", []string{"application/pdf"}, "a.png", false},
		{"pattern", []string{"image/*"}, "a.jpg", true},
		{"pattern, other case", []string{"IMAGE/*"}, "a.PNG", true},
		{"pattern of another type", []string{"image/*"}, "a.pdf", false},
		{"watsonx form", []string{"image/*", ".txt"}, "notes.txt", true},
		{"any", []string{"*/*"}, "whatever.bin", true},
		{"unknown extension is octet-stream", []string{"application/octet-stream"}, "x.weird", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := connector.FilePolicy{Types: tt.types}
			if got := p.AllowsType(tt.file, connector.MediaType(tt.file)); got != tt.want {
				t.Errorf("AllowsType(%q) under %q = %v, want %v", tt.file, tt.types, got, tt.want)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	files := []connector.PackageFile{
		{ID: "f1", Name: "statement.pdf", Size: 1000, Parts: 1},
		{ID: "f2", Name: "setup.exe", Size: 10},
		{ID: "f3", Name: "big.pdf", Size: 20_001},
		{ID: "f4", Name: "id-front.jpg", Size: 500},
		{ID: "f5", Name: "payslip.xlsx", Size: 700},
	}
	acc := func(id, name string, size int64, typ string) connector.File {
		return connector.File{ID: id, Name: name, Size: size, Type: typ, Status: connector.FileAccepted}
	}
	rej := func(id, name string, size int64, typ, reason, msg string) connector.File {
		return connector.File{ID: id, Name: name, Size: size, Type: typ, Status: connector.FileRejected, Reason: reason, Message: msg}
	}
	pdf, exe, jpg := "application/pdf", "application/vnd.microsoft.portable-executable", "image/jpeg"
	xlsx := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	for _, tt := range []struct {
		name     string
		policy   connector.FilePolicy
		accepted int
		want     []connector.File
	}{
		{"no policy", connector.FilePolicy{}, 0, []connector.File{
			{ID: "f1", Name: "statement.pdf", Size: 1000, Parts: 1, Type: pdf, Status: connector.FileAccepted},
			acc("f2", "setup.exe", 10, exe), acc("f3", "big.pdf", 20_001, pdf), acc("f4", "id-front.jpg", 500, jpg),
			acc("f5", "payslip.xlsx", 700, xlsx)}},
		{"type, size and count", connector.FilePolicy{Types: []string{"pdf", "image/*", "xlsx"}, MaxSize: 20_000, MaxFiles: 2}, 0, []connector.File{
			{ID: "f1", Name: "statement.pdf", Size: 1000, Parts: 1, Type: pdf, Status: connector.FileAccepted},
			rej("f2", "setup.exe", 10, exe, connector.ReasonType, "setup.exe was not accepted: allowed types are pdf, image/*, xlsx."),
			rej("f3", "big.pdf", 20_001, pdf, connector.ReasonSize, "big.pdf was not accepted: files may be at most 20 KB."),
			acc("f4", "id-front.jpg", 500, jpg),
			rej("f5", "payslip.xlsx", 700, xlsx, connector.ReasonCount, "payslip.xlsx was not accepted: at most 2 files can be uploaded.")}},
		{"count goes on from earlier packages", connector.FilePolicy{MaxFiles: 1}, 1, []connector.File{
			{ID: "f1", Name: "statement.pdf", Size: 1000, Parts: 1, Type: pdf, Status: connector.FileRejected, Reason: connector.ReasonCount,
				Message: "statement.pdf was not accepted: only 1 file can be uploaded."},
			rej("f2", "setup.exe", 10, exe, connector.ReasonCount, "setup.exe was not accepted: only 1 file can be uploaded."),
			rej("f3", "big.pdf", 20_001, pdf, connector.ReasonCount, "big.pdf was not accepted: only 1 file can be uploaded."),
			rej("f4", "id-front.jpg", 500, jpg, connector.ReasonCount, "id-front.jpg was not accepted: only 1 file can be uploaded."),
			rej("f5", "payslip.xlsx", 700, xlsx, connector.ReasonCount, "payslip.xlsx was not accepted: only 1 file can be uploaded.")}},
		{"binary size unit", connector.FilePolicy{MaxSize: 10 << 10}, 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.policy.Judge(files, tt.accepted)
			if tt.want == nil {
				if got[2].Message != "big.pdf was not accepted: files may be at most 10 KiB." {
					t.Errorf("message %q", got[2].Message)
				}
				return
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Judge (-want +got):\n%s", d)
			}
		})
	}
	if got := (connector.FilePolicy{MaxFiles: 3}).Judge([]connector.PackageFile{}, 0); got == nil || len(got) != 0 {
		t.Errorf("Judge of no files = %#v, want an empty manifest", got)
	}
}

func TestJudgeMessageNames(t *testing.T) {
	long := strings.Repeat("é", 255) + ".exe"
	for _, tt := range []struct{ name, want string }{
		{"my setup.exe", "my setup.exe was not accepted"},
		{`dir/sub\"quoted".exe`, `"quoted".exe was not accepted`},
		{"\u202eexe.pdf", "exe.pdf was not accepted"},
		{"رسالة\u200f.exe", "رسالة.exe was not accepted"},
		{"🎉.exe", "🎉.exe was not accepted"},
		{"\x00\x1b", "a file was not accepted"},
		{long, strings.Repeat("é", 60) + "… was not accepted"},
	} {
		got := connector.FilePolicy{Types: []string{"txt"}}.Judge([]connector.PackageFile{{ID: "f", Name: tt.name}}, 0)
		if !strings.HasPrefix(got[0].Message, tt.want) {
			t.Errorf("message for %q = %q, want it to start %q", tt.name, got[0].Message, tt.want)
		}
		if got[0].Name != tt.name {
			t.Errorf("name %q kept as %q", tt.name, got[0].Name)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {999, "999 B"}, {1000, "1 KB"}, {1500, "1.5 KB"}, {12_400_000, "12.4 MB"},
		{999_999, "1 MB"}, {3_000_000_000, "3 GB"}, {5 << 40, "5.5 TB"},
	} {
		if got := connector.FormatSize(tt.n); got != tt.want {
			t.Errorf("FormatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
