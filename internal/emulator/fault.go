package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wrapup/wrapup/internal/ctxtime"
)

// Fault is one injected failure, as POST /_emulator/faults takes it: after
// After good calls that match, the next Times matching calls fail the way
// the other fields say. Times 0 fails every matching call after After.
type Fault struct {
	// Service is "slack", "jira" or "github"; empty matches every service.
	Service string `json:"service,omitempty"`
	// Method is a Slack method name ("conversations.replies") or an HTTP
	// method ("POST"); empty matches every call of the service.
	Method string `json:"method,omitempty"`
	// Path is the request path; a trailing "*" makes it a prefix. Empty
	// matches every path.
	Path string `json:"path,omitempty"`

	After int `json:"after,omitempty"`
	Times int `json:"times,omitempty"`

	// Status is the HTTP status to answer with (500, 503, 429 ...).
	Status int `json:"status,omitempty"`
	// Error is a service error: for Slack, the code of an HTTP 200
	// {"ok":false,"error":...}; for the trackers, the error message.
	Error string `json:"error,omitempty"`
	// RetryAfter is the Retry-After header in seconds; with no Status it
	// means a 429.
	RetryAfter int `json:"retry_after,omitempty"`

	// Delay holds the response back, to exceed a client's timeout. With no
	// other field set, the call then succeeds.
	Delay Duration `json:"delay,omitempty"`
	// Truncate cuts the real response's body mid-way and drops the
	// connection, as a proxy dying mid-transfer would.
	Truncate bool `json:"truncate,omitempty"`
}

// Validate reports a fault that can never do anything or names no service
// the emulators know.
func (f Fault) Validate() error {
	switch f.Service {
	case "", "slack", "jira", "github":
	default:
		return fmt.Errorf("service %q: want slack, jira or github", f.Service)
	}
	if f.After < 0 || f.Times < 0 || f.RetryAfter < 0 || f.Delay < 0 {
		return fmt.Errorf("after, times, retry_after and delay must not be negative")
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return fmt.Errorf("status %d is not an HTTP status", f.Status)
	}
	if f.Status == 0 && f.Error == "" && f.RetryAfter == 0 && f.Delay == 0 && !f.Truncate {
		return fmt.Errorf("the fault does nothing: set status, error, retry_after, delay or truncate")
	}
	return nil
}

// StatusCode is the HTTP status the fault answers with, 0 for none: a
// fault with only RetryAfter is a 429.
func (f *Fault) StatusCode() int {
	if f.Status == 0 && f.RetryAfter > 0 {
		return 429
	}
	return f.Status
}

// Wait sleeps for the fault's delay, or until ctx is done.
func (f *Fault) Wait(ctx context.Context) error {
	if f.Delay <= 0 {
		return nil
	}
	return ctxtime.Sleep(ctx, time.Duration(f.Delay))
}

// matches reports whether the fault applies to c.
func (f *Fault) matches(c Call) bool {
	if f.Service != "" && f.Service != c.Service {
		return false
	}
	if f.Method != "" && f.Method != c.Method && !strings.EqualFold(f.Method, c.HTTPMethod) {
		return false
	}
	if f.Path == "" {
		return true
	}
	for _, path := range []string{c.Path, c.SentPath} {
		if path == "" {
			continue
		}
		if p, ok := strings.CutSuffix(f.Path, "*"); ok && strings.HasPrefix(path, p) || f.Path == path {
			return true
		}
	}
	return false
}

// Duration is a time.Duration written in JSON as a Go duration string
// ("1.5s") or a number of seconds.
type Duration time.Duration

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads "1.5s" or 1.5.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("delay %q: %w", s, err)
		}
		*d = Duration(v)
		return nil
	}
	secs, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("delay %s: want a duration such as \"2s\" or a number of seconds", b)
	}
	*d = Duration(secs * float64(time.Second))
	return nil
}
