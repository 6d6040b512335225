package content_test

import (
	"context"
	"image"
	"strings"
	"testing"

	"golang.org/x/image/draw"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/content"
)

func benchRender(b *testing.B, req connector.ContentRequest) {
	r := content.New(content.Limits{})
	b.ReportAllocs()
	b.SetBytes(req.Size)
	for b.Loop() {
		if _, err := r.Render(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderText renders a 1 MB text file: its first page of 20,000
// characters, and the whole in one page.
func BenchmarkRenderText(b *testing.B) {
	body := []byte(strings.Repeat("a line of a log file, with ünïcode €\n", 1<<20/40))
	b.Run("page", func(b *testing.B) {
		benchRender(b, request("text/plain", body))
	})
	b.Run("whole", func(b *testing.B) {
		req := request("text/plain", body)
		req.MaxChars = len(body)
		benchRender(b, req)
	})
}

// BenchmarkRenderPDF renders the first page of text of the 20-page PDF,
// and all of its text.
func BenchmarkRenderPDF(b *testing.B) {
	body := fixture(b, "twenty.pdf")
	b.Run("page", func(b *testing.B) {
		benchRender(b, request("application/pdf", body))
	})
	b.Run("whole", func(b *testing.B) {
		req := request("application/pdf", body)
		req.MaxChars = 1 << 20
		benchRender(b, req)
	})
}

// BenchmarkRenderImage scales a 4000 × 3000 JPEG for a model.
func BenchmarkRenderImage(b *testing.B) {
	req := request("image/jpeg", encoded(b, "jpeg", picture(4000, 3000, false)))
	req.Images = true
	benchRender(b, req)
}

// BenchmarkScale compares the scalers on a 4000 × 3000 image to 1568 px.
func BenchmarkScale(b *testing.B) {
	src := picture(4000, 3000, false)
	for _, s := range []struct {
		name string
		k    draw.Scaler
	}{{"CatmullRom", draw.CatmullRom}, {"ApproxBiLinear", draw.ApproxBiLinear}, {"BiLinear", draw.BiLinear}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dst := image.NewRGBA(image.Rect(0, 0, 1568, 1176))
				s.k.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
			}
		})
	}
}
