package connector

// How a file is cut into ranges, each retrieved by its own message and
// written as a block of the parts of one multipart write.

// Sizes of the multipart writes.
const (
	// DefaultRangeParts is how many SendSafely parts one message fetches
	// unless FILES_RANGE_PARTS says otherwise: about 1 GB from the browser
	// uploader, whose parts are 2.5 MiB.
	DefaultRangeParts = 400
	// MaxObjectParts is how many parts a multipart write may have.
	MaxObjectParts = 10000
	// MinObjectPart is the smallest part but the last that S3 takes.
	MinObjectPart = 5 << 20
	// objectPart is the size the part writer cuts parts at; a tail
	// shorter than MinObjectPart joins the part before it.
	objectPart = 8 << 20
	// minRange is the least a range but the last is expected to hold: a
	// range estimated shorter is extended, so that its last part is not
	// below MinObjectPart.
	minRange = 8 << 20
)

// fileRange is one range of a file: SendSafely parts First to Last
// (1-based, inclusive; Last < First for a file of no parts), written as
// object parts numbered from PartBase to PartBase+PartCount-1, each of
// PartSize bytes but the last of the range.
type fileRange struct {
	First     int   `json:"first"`
	Last      int   `json:"last"`
	PartBase  int   `json:"partBase"`
	PartCount int   `json:"partCount"`
	PartSize  int64 `json:"partSize"`
}

// splitRanges cuts a file of parts SendSafely parts and about size bytes
// into ranges of perRange parts (at least 1) on part boundaries. A range
// estimated below 8 MiB (from size/parts) is extended, the last one
// included (it joins the range before it). The 10,000 part numbers are
// shared out in equal blocks, and each range's part size grows from 8 MiB
// as far as its block needs, with room to spare for uneven parts. A file
// of no parts is one empty range.
func splitRanges(parts int, size int64, perRange int) []fileRange {
	if parts < 1 {
		return []fileRange{{First: 1, Last: 0, PartBase: 1, PartCount: MaxObjectParts, PartSize: objectPart}}
	}
	perRange = max(perRange, 1)
	if size > 0 {
		// Parts needed for minRange bytes, estimated; at most all of them.
		need := int((int64(minRange)*int64(parts) + size - 1) / size)
		perRange = max(perRange, min(need, parts))
	}
	perRange = max(perRange, (parts+MaxObjectParts-1)/MaxObjectParts)
	var rs []fileRange
	for first := 1; first <= parts; first += perRange {
		rs = append(rs, fileRange{First: first, Last: min(first+perRange-1, parts)})
	}
	if n := len(rs); n > 1 && size > 0 && estimate(rs[n-1], parts, size) < minRange {
		rs[n-2].Last = rs[n-1].Last
		rs = rs[:n-1]
	}
	block := MaxObjectParts / len(rs)
	for i := range rs {
		rs[i].PartBase, rs[i].PartCount = 1+i*block, block
		// Twice the estimate, for parts that are not all alike.
		est := 2 * estimate(rs[i], parts, size)
		ps := max(int64(objectPart), (est+int64(block)-1)/int64(block))
		rs[i].PartSize = (ps + 1<<20 - 1) &^ (1<<20 - 1) // whole MiB
	}
	return rs
}

// estimate is how many bytes range r of a file of parts parts and size
// bytes holds, if its parts are alike.
func estimate(r fileRange, parts int, size int64) int64 {
	return size * int64(r.Last-r.First+1) / int64(parts)
}
