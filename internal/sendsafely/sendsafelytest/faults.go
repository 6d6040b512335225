package sendsafelytest

import "net/http"

// faults are the switches that make the stand-in misbehave.
type faults struct {
	down     bool
	status   int
	refuse   bool
	pause    chan struct{} // non-nil: requests wait for it to close
	nextRows bool          // always send nextRowIndex
	// Part URLs (getPart, presigned):
	expired  bool             // every part URL has expired
	failGets int              // the next failGets part GETs answer 500
	corrupt  map[partKey]bool // parts served with one byte flipped
}

// partKey names one part of one file.
type partKey struct {
	fileID string
	n      int
}

// ExpirePartURLs makes every part URL answer 403 "Request has expired", as
// S3 answers a presigned URL past its expiry (true), or not.
func (s *Server) ExpirePartURLs(expired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.expired = expired
}

// FailPartGets makes the next n GETs of a part answer 500, as S3 does
// now and then.
func (s *Server) FailPartGets(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.failGets = n
}

// CorruptPart makes GETs of part n (1-based) of file fileID serve its
// ciphertext with one byte flipped (corrupt true), or as stored. The
// stored part is not changed.
func (s *Server) CorruptPart(fileID string, n int, corrupt bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.corrupt == nil {
		s.faults.corrupt = map[partKey]bool{}
	}
	s.faults.corrupt[partKey{fileID, n}] = corrupt
}

// SetDown makes every call answer 503 (true) or not.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.down = down
}

// SetStatus makes every call answer HTTP status code with a SUCCESS body,
// or, with 0, behave normally.
func (s *Server) SetStatus(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.status = code
}

// RefuseCredentials makes every call fail authentication (true) or not.
func (s *Server) RefuseCredentials(refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.refuse = refuse
}

// Pause makes calls wait, unanswered, until Resume or until the caller
// gives up, so that callers' timeouts are exercised without sleeping.
func (s *Server) Pause() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.pause == nil {
		s.faults.pause = make(chan struct{})
	}
}

// Resume lets paused calls go on.
func (s *Server) Resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.pause != nil {
		close(s.faults.pause)
		s.faults.pause = nil
	}
}

// AlwaysSendNextRowIndex makes the received list carry a nextRowIndex on
// every page, even the last, as a careless server might.
func (s *Server) AlwaysSendNextRowIndex(always bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.nextRows = always
}

// before applies the switches to one request; it reports whether the
// request was answered.
func (s *Server) before(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	if f.pause != nil {
		select {
		case <-f.pause:
		case <-r.Context().Done():
			return true
		}
	}
	switch {
	case f.down:
		reply(w, http.StatusServiceUnavailable, map[string]string{"response": "FAIL", "message": "Service Unavailable"})
		return true
	case f.status != 0:
		reply(w, f.status, map[string]string{"response": "SUCCESS"})
		return true
	}
	return false
}
