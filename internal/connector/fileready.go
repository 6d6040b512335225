package connector

// Ready reports whether f may be read by an agent or forwarded by the
// file callback: accepted, stored whole and verified, and, when scanning
// is on (Scan set), found clean. When it may not, why says so in words an
// agent can relay to the customer as they are.
func (f File) Ready() (ok bool, why string) {
	switch {
	case f.Status == FileRejected:
		return false, "rejected"
	case f.Stored == "":
		return false, "not retrieved: retrieval is off"
	case f.Stored == StoredPending:
		return false, "not stored yet"
	case f.Stored == StoredFailed:
		return false, "retrieval failed"
	}
	switch f.Scan {
	case "", ScanClean:
		return true, ""
	case ScanPending:
		return false, "malware scan pending"
	case ScanThreat:
		return false, "threat found"
	case ScanUnsupported:
		return false, "could not be scanned"
	default:
		return false, "malware scan failed"
	}
}
