package connector

// TagScan is the verdict a scanner that only tags objects gives by the
// tag named tag among an object's tags: ScanClean when its value is
// clean, exactly, and ScanThreat for any other value (a scanner's
// "INFECTED", "Error" or "Unscannable" alike: only the clean value lets a
// file be read). It reports false when the object has no such tag: its
// tags changed for another reason, and there is no verdict yet.
func TagScan(tags map[string]string, tag, clean string) (string, bool) {
	v, ok := tags[tag]
	switch {
	case !ok:
		return "", false
	case v == clean:
		return ScanClean, true
	default:
		return ScanThreat, true
	}
}
