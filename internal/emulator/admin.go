// Package emulator is the admin API shared by wrapup's API emulators
// (archive/slacktest, trackers/jiratest, trackers/githubtest): a call
// counter, a list of injected faults and each service's view of its state,
// served under /_emulator/.
//
// Each emulator takes an [*Admin], calls [Admin.Begin] at the start of every
// request it serves, applies the [Fault] it returns in its own wire format,
// and registers a [StateFunc] for its section of GET /_emulator/state. One
// Admin shared by several emulators gives one stats, state and fault list
// for them all, as wrapup-emulator serves them.
package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Call identifies one request to an emulator, for counting and for fault
// matching.
type Call struct {
	Service    string // "slack", "jira", "github"
	Method     string // Slack method name, else the HTTP method
	HTTPMethod string // GET, POST ...
	Path       string // the request path, without the service's mount (GitHub's /api/v3)
	// SentPath is the path as the client sent it, where it differs from
	// Path: a fault may name either.
	SentPath string
}

// Key is the call's name in stats: the Slack method name, or
// "<service> <HTTP method> <path>" for REST services.
func (c Call) Key() string {
	if c.Method != "" && c.Method != c.HTTPMethod {
		return c.Method
	}
	return c.Service + " " + c.HTTPMethod + " " + c.Path
}

// StateFunc returns a service's section of GET /_emulator/state. It must be
// safe to call from any goroutine and return a JSON-encodable value.
type StateFunc func() any

// Admin counts calls, holds the fault list and gathers state. Its methods
// are safe for concurrent use. The zero Admin is not ready: use [New].
type Admin struct {
	mu          sync.Mutex
	calls       map[string]int
	rateLimited map[string]int
	faults      []*armedFault
	states      map[string]StateFunc
	actions     map[string]ActionFunc
}

// ActionFunc is a test hook a service serves on the admin API, as POST
// /_emulator/<service>/<action>: it takes the request's JSON body, and
// returns what to answer, or an error that is the caller's (a 400).
type ActionFunc func(body []byte) (any, error)

type armedFault struct {
	Fault
	seen int // matching calls so far
}

// New returns an Admin with no calls, faults or state sections.
func New() *Admin {
	return &Admin{calls: map[string]int{}, rateLimited: map[string]int{}, states: map[string]StateFunc{},
		actions: map[string]ActionFunc{}}
}

// Begin counts c and returns the fault to inject into it, or nil. Every
// fault that matches c counts it, so that each fault's After and Times
// count the calls it matches; the first one due wins.
func (a *Admin) Begin(c Call) *Fault {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls[c.Key()]++
	var due *Fault
	for _, f := range a.faults {
		if !f.matches(c) {
			continue
		}
		f.seen++
		if f.seen > f.After && (f.Times == 0 || f.seen <= f.After+f.Times) && due == nil {
			cp := f.Fault
			due = &cp
		}
	}
	return due
}

// RateLimited counts a call of c that was answered with a rate-limit error.
func (a *Admin) RateLimited(c Call) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rateLimited[c.Key()]++
}

// SetFaults replaces the fault list; an empty list clears it. Each fault's
// count of matching calls starts again from zero.
func (a *Admin) SetFaults(faults []Fault) error {
	armed := make([]*armedFault, 0, len(faults))
	for i, f := range faults {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("fault %d: %w", i, err)
		}
		armed = append(armed, &armedFault{Fault: f})
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults = armed
	return nil
}

// Faults returns the current fault list.
func (a *Admin) Faults() []Fault {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Fault, len(a.faults))
	for i, f := range a.faults {
		out[i] = f.Fault
	}
	return out
}

// Stats is the body of GET /_emulator/stats.
type Stats struct {
	Calls       map[string]int `json:"calls"`
	RateLimited map[string]int `json:"rate_limited"`
}

// Stats returns a copy of the call counts.
func (a *Admin) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return Stats{Calls: maps.Clone(a.calls), RateLimited: maps.Clone(a.rateLimited)}
}

// Register sets service's section of the state; a later call for the same
// service replaces it.
func (a *Admin) Register(service string, state StateFunc) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.states[service] = state
}

// RegisterAction serves fn as POST /_emulator/<service>/<name>; a later
// call for the same path replaces it.
func (a *Admin) RegisterAction(service, name string, fn ActionFunc) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.actions[service+"/"+name] = fn
}

// State returns every registered service's section, keyed by service.
func (a *Admin) State() map[string]any {
	a.mu.Lock()
	funcs := maps.Clone(a.states)
	a.mu.Unlock()
	// The state functions take their services' locks: call them without
	// holding ours, so that a service may call Begin while holding its own.
	out := make(map[string]any, len(funcs))
	for _, name := range slices.Sorted(maps.Keys(funcs)) {
		out[name] = funcs[name]()
	}
	return out
}

// ServeHTTP serves GET stats, GET state, GET faults, POST faults and the
// services' actions, under /_emulator/ or with that prefix already
// stripped.
func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/_emulator")
	a.mu.Lock()
	action := a.actions[strings.TrimPrefix(path, "/")]
	a.mu.Unlock()
	switch {
	case action != nil && r.Method == http.MethodPost:
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 10<<20))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": path + ": " + err.Error()})
			return
		}
		out, err := action(b)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": strings.TrimPrefix(path, "/") + ": " + err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, out)
	case action != nil:
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": r.Method + " " + r.URL.Path + " is not allowed"})
	case path == "/stats" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, a.Stats())
	case path == "/state" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, a.State())
	case path == "/faults" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, a.Faults())
	case path == "/faults" && r.Method == http.MethodPost:
		var faults []Fault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&faults); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "faults: " + err.Error()})
			return
		}
		if err := a.SetFaults(faults); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, a.Faults())
	case path == "/stats" || path == "/state" || path == "/faults":
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": r.Method + " " + r.URL.Path + " is not allowed"})
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no admin endpoint " + r.URL.Path})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"cannot encode the response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
