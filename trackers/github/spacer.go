package github

import (
	"net/http"
	"sync"
	"time"

	"github.com/wrapup/wrapup/trackers"
)

// spacer sends writes one at a time, each at least spacing after the end
// of the previous one, as GitHub asks of content-creating calls; reads go
// straight through.
type spacer struct {
	next    http.RoundTripper
	spacing time.Duration

	mu   sync.Mutex // held for a whole write: one at a time
	last time.Time
}

func (s *spacer) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return s.next.RoundTrip(req)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.last.IsZero() {
		if err := trackers.Sleep(req.Context(), time.Until(s.last.Add(s.spacing))); err != nil {
			return nil, err
		}
	}
	resp, err := s.next.RoundTrip(req)
	s.last = time.Now()
	return resp, err
}
