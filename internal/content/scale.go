package content

import (
	"image"
	"image/color"
)

// scale returns img scaled down (never up) to at most long pixels on its
// long side: first an area average over k × k blocks (k the whole factor;
// anti-aliased, and memory of the result alone), then ApproxBiLinear for
// the remaining factor under 2, bilinear. Measured on 4000 × 3000 →
// 1568 × 1176 (BenchmarkScale): x/image's CatmullRom takes 340 ms and
// allocates a 158 MB intermediate (destination width × source height × 32
// bytes), more than the function's memory; a bilinear step alone is fast
// but aliases fine detail (text in a photographed document) at factors
// over 2. The bilinear step is ours (bilinear, below), not x/image/draw's
// ApproxBiLinear: that package put the function's zip over its 5 MiB
// budget for the 30 lines it did here.
func scale(img image.Image, long int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= long && h <= long {
		return img
	}
	if k := max(w, h) / long; k >= 2 {
		img = shrink(img, k)
		b = img.Bounds()
		if b.Dx() <= long && b.Dy() <= long {
			return img
		}
	}
	if w >= h {
		w, h = long, max(1, h*long/w)
	} else {
		w, h = max(1, w*long/h), long
	}
	return bilinear(img, w, h)
}

// bilinear samples img at w × h pixel centres, each the weighted mean of
// the four source pixels around it (premultiplied RGBA, 8 bits).
func bilinear(img image.Image, w, h int) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	at := pixel(img)
	sx, sy := float64(b.Dx())/float64(w), float64(b.Dy())/float64(h)
	for dy := 0; dy < h; dy++ {
		y0, y1, fy := neighbours((float64(dy)+0.5)*sy-0.5, b.Dy())
		for dx := 0; dx < w; dx++ {
			x0, x1, fx := neighbours((float64(dx)+0.5)*sx-0.5, b.Dx())
			var c [4][4]uint32
			c[0][0], c[0][1], c[0][2], c[0][3] = at(b.Min.X+x0, b.Min.Y+y0)
			c[1][0], c[1][1], c[1][2], c[1][3] = at(b.Min.X+x1, b.Min.Y+y0)
			c[2][0], c[2][1], c[2][2], c[2][3] = at(b.Min.X+x0, b.Min.Y+y1)
			c[3][0], c[3][1], c[3][2], c[3][3] = at(b.Min.X+x1, b.Min.Y+y1)
			i := dst.PixOffset(dx, dy)
			for ch := range 4 {
				top := float64(c[0][ch])*(1-fx) + float64(c[1][ch])*fx
				bottom := float64(c[2][ch])*(1-fx) + float64(c[3][ch])*fx
				dst.Pix[i+ch] = uint8(top*(1-fy) + bottom*fy + 0.5)
			}
		}
	}
	return dst
}

// neighbours returns the two source indexes (of n) around position p, and
// p's fraction of the way from the first to the second.
func neighbours(p float64, n int) (int, int, float64) {
	if p <= 0 {
		return 0, 0, 0
	}
	i := int(p)
	if i >= n-1 {
		return n - 1, n - 1, 0
	}
	return i, i + 1, p - float64(i)
}

// shrink averages k × k blocks of img into one pixel each, reading a
// JPEG's YCbCr planes and RGBA/NRGBA pixels directly, other images
// through their colour model.
func shrink(img image.Image, k int) *image.RGBA {
	b := img.Bounds()
	dw, dh := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	at := pixel(img)
	n := uint32(k * k)
	for dy := 0; dy < dh; dy++ {
		for dx := 0; dx < dw; dx++ {
			var r, g, bl, a uint32
			for y := b.Min.Y + dy*k; y < b.Min.Y+dy*k+k; y++ {
				for x := b.Min.X + dx*k; x < b.Min.X+dx*k+k; x++ {
					pr, pg, pb, pa := at(x, y)
					r, g, bl, a = r+pr, g+pg, bl+pb, a+pa
				}
			}
			i := dst.PixOffset(dx, dy)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8(r/n), uint8(g/n), uint8(bl/n), uint8(a/n)
		}
	}
	return dst
}

// pixel returns a reader of img's pixels as 8-bit premultiplied RGBA.
func pixel(img image.Image) func(x, y int) (r, g, b, a uint32) {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			return uint32(r), uint32(g), uint32(b), 255
		}
	case *image.NRGBA: // PNGs with transparency
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			a := uint32(m.Pix[i+3])
			return uint32(m.Pix[i]) * a / 255, uint32(m.Pix[i+1]) * a / 255, uint32(m.Pix[i+2]) * a / 255, a
		}
	case *image.RGBA:
		return func(x, y int) (uint32, uint32, uint32, uint32) {
			i := m.PixOffset(x, y)
			return uint32(m.Pix[i]), uint32(m.Pix[i+1]), uint32(m.Pix[i+2]), uint32(m.Pix[i+3])
		}
	}
	return func(x, y int) (uint32, uint32, uint32, uint32) {
		r, g, b, a := img.At(x, y).RGBA()
		return r >> 8, g >> 8, b >> 8, a >> 8
	}
}
