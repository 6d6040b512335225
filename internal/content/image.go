package content

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // registers GIF with image.Decode
	"image/jpeg"
	"image/png"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// jpegQualities are tried in turn until an image fits MaxImageBytes.
var jpegQualities = []int{85, 70, 55, 40}

// renderImage describes an image (its pixels, read from its header) and,
// when the asker takes images, gives it scaled down to LongSide pixels on
// its long side and re-encoded within MaxImageBytes: PNG when the source
// is PNG or GIF (sharp edges of screenshots and diagrams; falling back to
// JPEG when too large), JPEG otherwise. The header's pixel count is
// checked against MaxPixels before anything is decoded.
func (r *Renderer) renderImage(ctx context.Context, req connector.ContentRequest) (connector.Content, error) {
	cfg, format, err := r.imageConfig(ctx, req)
	if err != nil {
		return connector.Content{}, err
	}
	c := connector.Content{SourceWidth: cfg.Width, SourceHeight: cfg.Height}
	px := int64(cfg.Width) * int64(cfg.Height)
	if px > r.lim.MaxPixels {
		return connector.Content{}, corrupt("could not read this image: it is %d × %d pixels, more than the %d million read here (its download link gives the file)",
			cfg.Width, cfg.Height, r.lim.MaxPixels/1_000_000)
	}
	if need := px * bytesPerPixel(cfg.ColorModel); need > r.lim.MaxDecodedBytes {
		return connector.Content{}, corrupt("could not read this image: at %d × %d pixels it needs %d MiB to decode, more than the %d MiB allowed here (its download link gives the file)",
			cfg.Width, cfg.Height, (need+1<<20-1)>>20, r.lim.MaxDecodedBytes>>20)
	}
	if !req.Images {
		return c, nil
	}
	rc, err := req.Open(ctx, 0)
	if err != nil {
		return connector.Content{}, openErr(err)
	}
	defer rc.Close()
	var src image.Image
	err = fence(ctx, "this image", func() error {
		var err error
		if src, _, err = image.Decode(ctxReader{ctx, rc}); err != nil {
			return corrupt("could not read this image: %v", err)
		}
		return nil
	})
	if err != nil {
		return connector.Content{}, err
	}
	img := scale(src, r.lim.LongSide)
	b := img.Bounds()
	c.Width, c.Height = b.Dx(), b.Dy()
	c.Image, c.ImageType, err = r.encode(img, format == "png" || format == "gif")
	if err != nil {
		return connector.Content{}, err
	}
	return c, nil
}

// imageConfig reads the image's header alone.
func (r *Renderer) imageConfig(ctx context.Context, req connector.ContentRequest) (cfg image.Config, format string, err error) {
	rc, err := req.Open(ctx, 0)
	if err != nil {
		return cfg, "", openErr(err)
	}
	defer rc.Close()
	err = fence(ctx, "this image", func() error {
		var err error
		if cfg, format, err = image.DecodeConfig(ctxReader{ctx, rc}); err != nil {
			return corrupt("could not read this image: %v", err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			return corrupt("could not read this image: it has no pixels")
		}
		return nil
	})
	return cfg, format, err
}

// encode encodes img within MaxImageBytes: PNG if asked and it fits, else
// JPEG at falling qualities, halving the pixels if even the lowest does
// not fit.
func (r *Renderer) encode(img image.Image, asPNG bool) ([]byte, string, error) {
	var buf bytes.Buffer
	if asPNG {
		if err := png.Encode(&buf, img); err != nil {
			return nil, "", fmt.Errorf("content: encode png: %w", err)
		}
		if buf.Len() <= r.lim.MaxImageBytes {
			return buf.Bytes(), "image/png", nil
		}
	}
	for {
		for _, q := range jpegQualities {
			buf.Reset()
			if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
				return nil, "", fmt.Errorf("content: encode jpeg: %w", err)
			}
			if buf.Len() <= r.lim.MaxImageBytes {
				return buf.Bytes(), "image/jpeg", nil
			}
		}
		b := img.Bounds()
		if b.Dx() < 64 || b.Dy() < 64 {
			return nil, "", corrupt("could not read this image: it does not fit %d bytes", r.lim.MaxImageBytes)
		}
		img = scale(img, max(b.Dx(), b.Dy())/2)
	}
}

// bytesPerPixel is what a decoded pixel of the colour model takes: 3 for
// a JPEG's YCbCr (4:4:4, the most; 4:2:0 takes 1.5), 4 for 8-bit RGBA,
// 8 for 16-bit. A progressive JPEG's coefficients are not counted.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}
