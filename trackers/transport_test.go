package trackers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrapup/wrapup/trackers"
)

func TestRateLimitTransport(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name      string
		headers   []http.Header // one per limited answer, then 201
		status    int
		wantCalls int
		wantWaits []time.Duration
		wantCode  int
	}{
		{name: "429 with Retry-After", status: 429, headers: []http.Header{{"Retry-After": {"2"}}}, wantCalls: 2, wantWaits: []time.Duration{2 * time.Second}, wantCode: 201},
		{name: "403 secondary limit", status: 403, headers: []http.Header{{"Retry-After": {"1"}}, {"Retry-After": {"3"}}}, wantCalls: 3, wantWaits: []time.Duration{time.Second, 3 * time.Second}, wantCode: 201},
		{name: "403 primary limit waits for the reset", status: 403, headers: []http.Header{{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(now.Unix()+5, 10)}}}, wantCalls: 2, wantWaits: []time.Duration{6 * time.Second}, wantCode: 201},
		{name: "429 without headers backs off", status: 429, headers: []http.Header{{}, {}}, wantCalls: 3, wantWaits: []time.Duration{time.Second, 2 * time.Second}, wantCode: 201},
		{name: "plain 403 is not a limit", status: 403, headers: []http.Header{{}}, wantCalls: 1, wantCode: 403},
		{name: "retries are bounded", status: 429, headers: []http.Header{{"Retry-After": {"1"}}, {"Retry-After": {"1"}}, {"Retry-After": {"1"}}}, wantCalls: 3, wantWaits: []time.Duration{time.Second, time.Second}, wantCode: 429},
		{name: "too long a wait is not waited", status: 429, headers: []http.Header{{"Retry-After": {"3600"}}}, wantCalls: 1, wantCode: 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			calls := 0
			var bodies []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				n := calls
				calls++
				bodies = append(bodies, string(b))
				mu.Unlock()
				if n < len(tt.headers) {
					for k, v := range tt.headers[n] {
						w.Header()[k] = v
					}
					w.WriteHeader(tt.status)
					return
				}
				w.WriteHeader(201)
			}))
			defer srv.Close()
			var waits []time.Duration
			rt := &trackers.RateLimitTransport{
				MaxRetries: 2,
				MaxWait:    time.Minute,
				Now:        func() time.Time { return now },
				Sleep: func(_ context.Context, d time.Duration) error {
					waits = append(waits, d)
					return nil
				},
			}
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"x":1}`))
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantCode || calls != tt.wantCalls {
				t.Errorf("status %d after %d calls; want %d after %d", resp.StatusCode, calls, tt.wantCode, tt.wantCalls)
			}
			if len(waits) != len(tt.wantWaits) {
				t.Fatalf("waits %v; want %v", waits, tt.wantWaits)
			}
			for i := range waits {
				if waits[i] != tt.wantWaits[i] {
					t.Errorf("wait %d: %v; want %v", i, waits[i], tt.wantWaits[i])
				}
			}
			for i, b := range bodies {
				if b != `{"x":1}` {
					t.Errorf("attempt %d sent body %q; want it replayed", i, b)
				}
			}
		})
	}

	t.Run("a cancelled wait ends the call", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(429)
		}))
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		start := time.Now()
		if _, err := (&trackers.RateLimitTransport{}).RoundTrip(req); err == nil {
			t.Error("no error")
		}
		if time.Since(start) > 5*time.Second {
			t.Error("the wait ignored the context")
		}
	})
}

// TestAttemptTimeoutSparesTheWait: a Retry-After longer than the per-attempt
// timeout is still honoured, since the timeout bounds attempts, not waits.
func TestAttemptTimeoutSparesTheWait(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	client := &http.Client{Transport: &trackers.RateLimitTransport{AttemptTimeout: 200 * time.Millisecond}}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("a 1 s Retry-After under a 200 ms attempt timeout: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(body) != "ok" || calls.Load() != 2 {
		t.Errorf("body %q, %d calls, %v", body, calls.Load(), err)
	}
}
