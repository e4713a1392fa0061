package trackers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrapup/wrapup/trackers"
)

const secondaryBody = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`

// answers serves the given status/header/body answers in turn, then 200.
func answers(t *testing.T, as ...func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1)) - 1
		if n < len(as) {
			as[n](w)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func roundTrip(t *testing.T, rt *trackers.RateLimitTransport, method, url string) (int, string, []time.Duration) {
	t.Helper()
	var waits []time.Duration
	rt.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	req, _ := http.NewRequest(method, url, strings.NewReader(""))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("")), nil }
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), waits
}

// TestSecondaryLimits: GitHub's rules ("Rate limits for the REST API",
// Exceeding the rate limit): a secondary limit is a 403 or a 429; wait
// Retry-After when present, else until X-RateLimit-Reset when
// X-RateLimit-Remaining is 0, else "at least one minute", growing
// exponentially while it goes on. A 403 that says nothing of a limit is
// a permission error, not waited.
func TestSecondaryLimits(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	secondary := func(status int, hdr ...string) func(w http.ResponseWriter) {
		return func(w http.ResponseWriter) {
			for i := 0; i+1 < len(hdr); i += 2 {
				w.Header().Set(hdr[i], hdr[i+1])
			}
			w.Header().Set("X-RateLimit-Remaining", "4999")
			w.WriteHeader(status)
			io.WriteString(w, secondaryBody)
		}
	}
	tests := []struct {
		name      string
		answers   []func(w http.ResponseWriter)
		wantWaits []time.Duration
		wantCode  int
	}{
		{"403 secondary without Retry-After waits a minute, then longer",
			[]func(http.ResponseWriter){secondary(403), secondary(403)}, []time.Duration{time.Minute, 2 * time.Minute}, 200},
		{"429 secondary without Retry-After waits a minute",
			[]func(http.ResponseWriter){secondary(429)}, []time.Duration{time.Minute}, 200},
		{"403 secondary with Retry-After waits that",
			[]func(http.ResponseWriter){secondary(403, "Retry-After", "7")}, []time.Duration{7 * time.Second}, 200},
		{"403 with the quota used up waits for the reset",
			[]func(http.ResponseWriter){func(w http.ResponseWriter) {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Unix()+30, 10))
				w.WriteHeader(403)
			}}, []time.Duration{31 * time.Second}, 200},
		{"a permission 403 is not waited",
			[]func(http.ResponseWriter){func(w http.ResponseWriter) {
				w.Header().Set("X-RateLimit-Remaining", "4999")
				w.WriteHeader(403)
				io.WriteString(w, `{"message":"Resource not accessible by personal access token"}`)
			}}, nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := answers(t, tt.answers...)
			rt := &trackers.RateLimitTransport{Floor: time.Minute, MaxWait: 5 * time.Minute, Now: func() time.Time { return now }}
			code, body, waits := roundTrip(t, rt, http.MethodPost, srv.URL)
			if code != tt.wantCode || !slices.Equal(waits, tt.wantWaits) {
				t.Errorf("status %d after waits %v; want %d after %v", code, waits, tt.wantCode, tt.wantWaits)
			}
			if code == 403 && !strings.Contains(body, "not accessible") {
				t.Errorf("the 403's body was not handed back whole: %q", body)
			}
		})
	}
}

// TestReadsRetryOn5xx: a GET that fails with a 5xx is tried again; a
// POST is not (it may have taken effect: the Filer looks it up first).
func TestReadsRetryOn5xx(t *testing.T) {
	fail := func(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) }
	for _, c := range []struct {
		method    string
		wantCode  int
		wantCalls int32
	}{{http.MethodGet, 200, 3}, {http.MethodPost, 502, 1}} {
		srv, calls := answers(t, fail, fail)
		code, _, waits := roundTrip(t, &trackers.RateLimitTransport{}, c.method, srv.URL)
		if code != c.wantCode || calls.Load() != c.wantCalls {
			t.Errorf("%s: status %d after %d calls (waits %v); want %d after %d", c.method, code, calls.Load(), waits, c.wantCode, c.wantCalls)
		}
	}
}
