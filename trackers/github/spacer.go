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
	gate    *WriteGate
}

// WriteGate holds GitHub writes to one at a time. Trackers that share one
// (a sweep's, across its channels) share the pace, as GitHub counts it per
// token, not per incident. The zero value is ready to use.
type WriteGate struct {
	mu   sync.Mutex // held for a whole write
	last time.Time
}

func (s *spacer) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return s.next.RoundTrip(req)
	}
	g := s.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.last.IsZero() {
		if err := trackers.Sleep(req.Context(), time.Until(g.last.Add(s.spacing))); err != nil {
			return nil, err
		}
	}
	resp, err := s.next.RoundTrip(req)
	g.last = time.Now()
	return resp, err
}
