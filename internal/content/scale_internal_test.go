package content

import (
	"image"
	"image/color"
	"testing"
)

// TestBilinear: the bilinear step keeps a flat colour flat, keeps a
// horizontal gradient's order and ends, and keeps its output's size.
func TestBilinear(t *testing.T) {
	flat := image.NewRGBA(image.Rect(0, 0, 300, 200))
	ramp := image.NewRGBA(image.Rect(0, 0, 256, 10))
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			flat.Set(x, y, color.RGBA{10, 200, 30, 255})
			if x < 256 && y < 10 {
				ramp.Set(x, y, color.RGBA{uint8(x), 0, 0, 255})
			}
		}
	}
	got := bilinear(flat, 170, 113)
	if got.Bounds().Dx() != 170 || got.Bounds().Dy() != 113 {
		t.Fatalf("bounds %v, want 170 × 113", got.Bounds())
	}
	for i := 0; i < len(got.Pix); i += 4 {
		if c := got.Pix[i : i+4]; c[0] != 10 || c[1] != 200 || c[2] != 30 || c[3] != 255 {
			t.Fatalf("flat colour became %v at %d", c, i/4)
		}
	}
	r := bilinear(ramp, 150, 6)
	prev := -1
	for x := 0; x < 150; x++ {
		v := int(r.RGBAAt(x, 3).R)
		if v < prev {
			t.Fatalf("gradient falls at x=%d: %d after %d", x, v, prev)
		}
		prev = v
	}
	if first, last := r.RGBAAt(0, 3).R, r.RGBAAt(149, 3).R; first > 2 || last < 253 {
		t.Errorf("gradient ends %d … %d, want about 0 … 255", first, last)
	}
}
