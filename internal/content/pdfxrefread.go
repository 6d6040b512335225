package content

import (
	"bytes"
	"compress/zlib"
	"io"
	"strconv"
)

// streamData returns up to max bytes of the stream starting after the
// "stream" keyword at s: inflated if it is a zlib stream, else raw.
func streamData(s []byte, max int) []byte {
	s = bytes.TrimLeft(s, "\r\n")
	if zr, err := zlib.NewReader(bytes.NewReader(s)); err == nil {
		out, _ := io.ReadAll(io.LimitReader(zr, int64(max)))
		return out
	}
	return s[:min(len(s), max)]
}

// unpredict undoes the PNG predictors of rows of cols bytes (each row led
// by its filter byte), as an xref stream's /Predictor 10–15 asks.
func unpredict(data []byte, cols int) []byte {
	if cols <= 0 {
		return nil
	}
	var out []byte
	prev := make([]byte, cols)
	for len(data) >= cols+1 {
		filter, row := data[0], append([]byte(nil), data[1:cols+1]...)
		data = data[cols+1:]
		for i := range row {
			var left, upLeft byte
			if i > 0 {
				left, upLeft = row[i-1], prev[i-1]
			}
			up := prev[i]
			switch filter {
			case 1:
				row[i] += left
			case 2:
				row[i] += up
			case 3:
				row[i] += byte((int(left) + int(up)) / 2)
			case 4:
				row[i] += paeth(left, up, upLeft)
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// field decodes a big-endian xref stream field.
func field(b []byte) int {
	x := 0
	for _, c := range b {
		x = x<<8 | int(c)
	}
	return x
}

func atoi(b []byte) int {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return -1
	}
	return n
}

// number reads the next unsigned integer token at b[pos:], skipping
// white space; ok is false if the next token is not one.
func number(b []byte, pos int) (n, next int, ok bool) {
	for pos < len(b) && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r' || b[pos] == '\n') {
		pos++
	}
	start := pos
	for pos < len(b) && b[pos] >= '0' && b[pos] <= '9' {
		pos++
	}
	switch {
	case pos == start:
		return 0, pos, false
	case pos-start > 9:
		return maxObjects + 1, pos, true
	}
	n, _ = strconv.Atoi(string(b[start:pos]))
	return n, pos, true
}
