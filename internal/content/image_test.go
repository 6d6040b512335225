package content_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/content"
)

// picture is a w × h gradient, with noise when noisy (hard to compress).
func picture(w, h int, noisy bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(3, 4))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255}
			if noisy {
				c.B = uint8(rng.UintN(256))
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encoded(t testing.TB, format string, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRenderImage(t *testing.T) {
	for _, tt := range []struct {
		name, typ, format string
		w, h              int
		images            bool
		lim               content.Limits
		wantType          string
		wantW, wantH      int
	}{
		{"small png kept", "image/png", "png", 100, 50, true, content.Limits{}, "image/png", 100, 50},
		{"photo scaled", "image/jpeg", "jpeg", 4000, 3000, true, content.Limits{}, "image/jpeg", 1568, 1176},
		{"portrait png scaled", "image/png", "png", 1000, 2000, true, content.Limits{}, "image/png", 784, 1568},
		{"gif as png", "image/gif", "gif", 300, 200, true, content.Limits{}, "image/png", 300, 200},
		{"described only", "image/jpeg", "jpeg", 4000, 3000, false, content.Limits{}, "", 0, 0},
		{"png over the byte limit as jpeg", "image/png", "png", 400, 400, true, content.Limits{MaxImageBytes: 60_000}, "image/jpeg", 400, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := request(tt.typ, encoded(t, tt.format, picture(tt.w, tt.h, strings.Contains(tt.name, "byte limit"))))
			req.Images = tt.images
			c, err := content.New(tt.lim).Render(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if c.SourceWidth != tt.w || c.SourceHeight != tt.h {
				t.Errorf("source %d × %d, want %d × %d", c.SourceWidth, c.SourceHeight, tt.w, tt.h)
			}
			if c.ImageType != tt.wantType || c.Width != tt.wantW || c.Height != tt.wantH {
				t.Errorf("got %s %d × %d, want %s %d × %d", c.ImageType, c.Width, c.Height, tt.wantType, tt.wantW, tt.wantH)
			}
			if !tt.images {
				if c.Image != nil {
					t.Errorf("got %d bytes of image, want none", len(c.Image))
				}
				return
			}
			limit := tt.lim.MaxImageBytes
			if limit == 0 {
				limit = content.DefaultMaxImageBytes
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(c.Image))
			if err != nil || "image/"+format != c.ImageType || cfg.Width != c.Width || cfg.Height != c.Height || len(c.Image) > limit {
				t.Errorf("image decodes as %s %d × %d (%v), %d bytes; want %s %d × %d within %d", format, cfg.Width, cfg.Height, err, len(c.Image), c.ImageType, c.Width, c.Height, limit)
			}
		})
	}
}

// TestRenderImageFiles renders a PNG with transparency (NRGBA), scaled
// down; a WebP (testdata/README) is not decoded here (x/image's decoder
// put the function's zip over its 5 MiB budget): its download link is
// all an agent gets.
func TestRenderImageFiles(t *testing.T) {
	translucent := image.NewNRGBA(image.Rect(0, 0, 3200, 1600))
	for i := range translucent.Pix {
		translucent.Pix[i] = uint8(i % 251)
	}
	for _, tt := range []struct {
		name, typ        string
		body             []byte
		srcW, srcH, w, h int
		wantType         string
	}{
		{"translucent png", "image/png", encoded(t, "png", translucent), 3200, 1600, 1568, 784, "image/png"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := request(tt.typ, tt.body)
			req.Images = true
			c, err := render(t, req)
			if err != nil {
				t.Fatal(err)
			}
			if c.SourceWidth != tt.srcW || c.SourceHeight != tt.srcH || c.Width != tt.w || c.Height != tt.h || c.ImageType != tt.wantType {
				t.Errorf("got %d × %d → %s %d × %d, want %d × %d → %s %d × %d", c.SourceWidth, c.SourceHeight, c.ImageType, c.Width, c.Height, tt.srcW, tt.srcH, tt.wantType, tt.w, tt.h)
			}
			if _, _, err := image.Decode(bytes.NewReader(c.Image)); err != nil {
				t.Errorf("the image given does not decode: %v", err)
			}
		})
	}
}

func TestRenderWebPUnsupported(t *testing.T) {
	req := request("image/webp", fixture(t, "page.webp"))
	req.Images = true
	if _, err := render(t, req); !errors.Is(err, connector.ErrUnsupported) {
		t.Errorf("WebP: %v, want ErrUnsupported", err)
	}
}

func TestRenderImageOverLimits(t *testing.T) {
	for _, tt := range []struct {
		name, format string
		lim          content.Limits
		reason       string
	}{
		{"pixels", "jpeg", content.Limits{MaxPixels: 1_000_000}, "2000 × 1000 pixels, more than the 1 million"},
		{"memory of a png", "png", content.Limits{MaxDecodedBytes: 7 << 20}, "needs 8 MiB to decode, more than the 7 MiB"},
		{"memory of a jpeg", "jpeg", content.Limits{MaxDecodedBytes: 5 << 20}, "needs 6 MiB to decode, more than the 5 MiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, images := range []bool{true, false} {
				req := request("image/"+tt.format, encoded(t, tt.format, picture(2000, 1000, false)))
				req.Images = images
				_, err := content.New(tt.lim).Render(context.Background(), req)
				if !errors.Is(err, connector.ErrCorrupt) || !strings.Contains(connector.Message(err), tt.reason) {
					t.Errorf("images %v: got %v, want ErrCorrupt saying %q", images, err, tt.reason)
				}
			}
		})
	}
}
