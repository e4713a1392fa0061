package trackers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimitTransport is an http.RoundTripper that waits out rate limits:
// HTTP 429, and 403s that are GitHub's primary or secondary limits. It
// waits for Retry-After, else until X-RateLimit-Reset when the quota is
// used up, else backs off from Floor, doubling, and retries a bounded
// number of times. Waits longer than MaxWait are not waited: the limited
// response goes back to the caller.
//
// Reads (GET and HEAD) that fail with a 5xx or without an answer are
// retried the same way, backing off from 1s: they change nothing, so
// repeating them is safe. Writes are never retried on a 5xx here: one
// may have taken effect, and only the caller can look that up.
//
// It exists because go-github v60 does not treat 429 as a rate limit, and
// after a limit it refuses calls locally until the reset. Retrying a write
// after a 429 is safe: a limited request was not processed.
type RateLimitTransport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// MaxRetries bounds retries per request; 0 means 4.
	MaxRetries int
	// MaxWait bounds one wait; 0 means 2 minutes.
	MaxWait time.Duration
	// Sleep waits; nil means [Sleep]. Tests scale it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Floor is the first wait for a limit that names no time, doubled on
	// each retry; 0 means 1s. GitHub asks for at least a minute.
	Floor time.Duration
	// Now is the clock for X-RateLimit-Reset; nil means time.Now.
	Now func() time.Time
	// OnLimit, if set, is told of every wait (for logs and metrics).
	OnLimit func(req *http.Request, status int, wait time.Duration)
	// AttemptTimeout bounds each attempt, body included, but not the
	// waits between attempts: an http.Client.Timeout would cover those
	// too, and a Retry-After longer than it could never be honoured.
	// 0 means no bound.
	AttemptTimeout time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t *RateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	maxRetries := t.MaxRetries
	if maxRetries <= 0 {
		maxRetries = 4
	}
	maxWait := t.MaxWait
	if maxWait <= 0 {
		maxWait = 2 * time.Minute
	}
	sleep := t.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	floor := t.Floor
	if floor <= 0 {
		floor = time.Second
	}
	read := req.Method == http.MethodGet || req.Method == http.MethodHead
	for attempt := 0; ; attempt++ {
		resp, err := t.send(base, req)
		var wait time.Duration
		var again bool
		switch {
		case err != nil:
			// A read that got no answer is tried again, unless the
			// caller gave up.
			if !read || req.Context().Err() != nil || attempt >= maxRetries {
				return resp, err
			}
			wait, again = time.Second<<min(attempt, 6), true
		case read && resp.StatusCode >= 500:
			wait, again = time.Second<<min(attempt, 6), true
		default:
			wait, again = limitWait(resp, now(), attempt, floor)
		}
		if !again || attempt >= maxRetries || wait > maxWait {
			return resp, err
		}
		if req.Body != nil && req.GetBody == nil {
			return resp, err // the body cannot be sent again
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		if t.OnLimit != nil {
			t.OnLimit(req, status, wait)
		}
		if err := sleep(req.Context(), wait); err != nil {
			return nil, fmt.Errorf("waiting to try %s %s again: %w", req.Method, req.URL.Path, err)
		}
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("rewind request body: %w", err)
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
	}
}

// send makes one attempt under AttemptTimeout; the timeout's context ends
// when the response body is closed.
func (t *RateLimitTransport) send(base http.RoundTripper, req *http.Request) (*http.Response, error) {
	if t.AttemptTimeout <= 0 {
		return base.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.AttemptTimeout)
	resp, err := base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return resp, err
	}
	resp.Body = cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// LimitWait tells whether resp is a rate limit and how long to wait before
// trying again. attempt (from 0) sets the backoff, from 1s, used when the
// response names no time. It may read a 403's body, which it then puts
// back.
func LimitWait(resp *http.Response, now time.Time, attempt int) (time.Duration, bool) {
	return limitWait(resp, now, attempt, time.Second)
}

// limitWait follows GitHub's rules ("Rate limits for the REST API",
// Exceeding the rate limit): Retry-After if present; else, if
// X-RateLimit-Remaining is 0, until X-RateLimit-Reset; else floor,
// growing exponentially.
func limitWait(resp *http.Response, now time.Time, attempt int, floor time.Duration) (time.Duration, bool) {
	h := resp.Header
	retryAfter := strings.TrimSpace(h.Get("Retry-After"))
	exhausted := h.Get("X-RateLimit-Remaining") == "0"
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
	case http.StatusForbidden:
		// A 403 is a limit only when it says so; otherwise it is a
		// permission error that waiting cannot fix.
		if retryAfter == "" && !exhausted && !secondaryLimit(resp) {
			return 0, false
		}
	default:
		return 0, false
	}
	if retryAfter != "" {
		if s, err := strconv.Atoi(retryAfter); err == nil && s >= 0 {
			return time.Duration(s) * time.Second, true
		}
		if at, err := http.ParseTime(retryAfter); err == nil {
			return max(at.Sub(now), 0), true
		}
	}
	if exhausted {
		if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			// One second more, since the reset is rounded down to a second.
			return max(time.Unix(s, 0).Sub(now)+time.Second, 0), true
		}
	}
	return floor << min(attempt, 6), true
}

// secondaryLimit reports whether a 403's body says it is GitHub's
// secondary rate limit, whose headers can look like a permission error's.
// The body is read and put back for the caller.
func secondaryLimit(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), rest), rest}
	return err == nil && bytes.Contains(bytes.ToLower(b), []byte("secondary rate limit"))
}
