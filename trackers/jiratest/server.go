// Package jiratest is an emulator of the Jira REST API v2, Cloud and Data
// Center flavours, as an http.Handler speaking the wire formats that
// go-jira and the real services use: issue create and get, search on the
// old (/rest/api/2/search) and new (/rest/api/2/search/jql) endpoints with
// enough JQL for wrapup, remote links, comments, user search, and the
// access checks of wrapup check (myself, project, mypermissions).
//
// Like Cloud's search, the emulator can be eventually consistent: a new
// issue shows up in searches only [Options.SearchDelay] after its creation,
// measured on an injectable clock. Faults, call counts and state go through
// an [emulator.Admin], shared with the other emulators in wrapup-emulator.
package jiratest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/emulator"
)

// Deployments.
const (
	Cloud      = "cloud"
	DataCenter = "datacenter"
)

// TimeFormat is how Jira writes times; go-jira parses exactly this.
const TimeFormat = "2006-01-02T15:04:05.000-0700"

// User is a Jira user known to the emulator.
type User struct {
	AccountID   string `json:"accountId,omitempty"` // Cloud
	Name        string `json:"name,omitempty"`      // Data Center
	Email       string `json:"emailAddress,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// EmailHidden hides the e-mail from other users, as Cloud's profile
	// visibility does (world file: email_visible: false): user search and
	// issues then omit emailAddress (a search by e-mail still finds them).
	EmailHidden bool `json:"-"`
	// Assignable are the project keys where the user can be assigned
	// issues; nil means every project (an empty list means none).
	Assignable []string `json:"-"`
}

// Options configure a Server. The zero value is a Cloud site with a
// project OPS, no delay, and any credential accepted.
type Options struct {
	// Deployment is Cloud (default) or DataCenter: it picks the search
	// endpoint that works, the assignee field and the 401 body.
	Deployment string
	// Projects are the project keys that exist, each with the default
	// setup (Task and Bug, labels and assignee on the screen); nil means
	// just "OPS" unless ProjectSetup names some.
	Projects []string
	// ProjectSetup are projects with their own setup (the world file's
	// jira.projects); one with the key of a Projects entry replaces it.
	ProjectSetup []Project
	// User and Token, when set, are the only credential accepted (Basic
	// user:token, or Bearer token). Otherwise any non-empty one is.
	User, Token string
	// ReadOnlyToken is also accepted, for a user who may browse projects
	// but not create issues: /mypermissions says CREATE_ISSUES is false,
	// and creating an issue fails.
	ReadOnlyToken string
	// SearchDelay is how long a new issue stays invisible to searches
	// (the world file's jira.search_lag).
	SearchDelay time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxResults caps a search page; 0 means 50. Small values exercise
	// pagination.
	MaxResults int
	// Users are the people that user search finds and that can be
	// assigned where their Assignable says.
	Users []User
	// Admin counts calls and injects faults; nil means a private one.
	Admin *emulator.Admin
}

// Server emulates one Jira site. Its methods are safe for concurrent use.
type Server struct {
	opts  Options
	admin *emulator.Admin
	mux   *http.ServeMux

	projects []Project
	typeIDs  map[string]string // lower-case issue type name -> id

	mu      sync.Mutex
	issues  []*Issue
	byKey   map[string]*Issue
	nextSeq map[string]int // per project
	nextID  int

	requests atomic.Int64
}

// New returns a Server with the given options.
func New(opts Options) *Server {
	if opts.Deployment == "" {
		opts.Deployment = Cloud
	}
	if opts.Projects == nil && opts.ProjectSetup == nil {
		opts.Projects = []string{"OPS"}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxResults <= 0 {
		opts.MaxResults = 50
	}
	s := &Server{opts: opts, admin: opts.Admin, byKey: map[string]*Issue{}, nextSeq: map[string]int{}, nextID: 10000}
	s.setupProjects()
	s.mux = s.routes()
	if s.admin == nil {
		s.admin = emulator.New()
	}
	s.admin.Register("jira", func() any { return s.State() })
	return s
}

// NewTestServer starts s on 127.0.0.1, closed when the test ends, and
// returns the base URL to give go-jira.
func NewTestServer(tb testing.TB, opts Options) (*Server, string) {
	tb.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	tb.Cleanup(ts.Close)
	return s, ts.URL
}

// Admin returns the admin that counts this server's calls and holds its
// faults.
func (s *Server) Admin() *emulator.Admin { return s.admin }

// Options returns the options in force, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// ServeHTTP serves the API under /rest/, so the handler can be mounted on
// a shared mux at "/rest/".
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := emulator.Call{Service: "jira", Method: r.Method, HTTPMethod: r.Method, Path: r.URL.Path}
	fault := s.admin.Begin(call)
	s.commonHeaders(w)
	if !s.authorized(r) {
		s.unauthorized(w)
		return
	}
	if fault != nil {
		if s.applyFault(w, r, call, fault) {
			return
		}
	}
	s.route(w, r)
}

// applyFault answers with the fault, or returns false to let the call
// through (a delay alone, or a truncation, which wrap the real answer).
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, call emulator.Call, f *emulator.Fault) bool {
	status := f.StatusCode()
	if status == 0 && f.Error == "" {
		switch {
		case f.Truncate:
			t := emulator.NewTruncator(w)
			s.route(t, r)
			t.Finish()
		default:
			// The call succeeds on the server, but its answer comes late:
			// the POST that timed out after it had succeeded.
			rec := httptest.NewRecorder()
			s.route(rec, r)
			if f.Wait(r.Context()) != nil {
				return true
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		}
		return true
	}
	if f.Wait(r.Context()) != nil {
		return true
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(f.RetryAfter))
	}
	if status == http.StatusTooManyRequests {
		s.admin.RateLimited(call)
		w.Header().Set("X-Ratelimit-Remaining", "0")
	}
	msg := f.Error
	if msg == "" {
		msg = http.StatusText(status)
	}
	writeError(w, status, []string{msg}, nil)
	return true
}

func (s *Server) commonHeaders(w http.ResponseWriter) {
	n := s.requests.Add(1)
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("Cache-Control", "no-cache, no-store, no-transform")
	h.Set("X-Arequestid", fmt.Sprintf("%032x", n))
	if s.opts.Deployment == Cloud {
		h.Set("Server", "AtlassianEdge")
		h.Set("Atl-Traceid", fmt.Sprintf("%032x", n*7919))
	}
}

func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok {
		return token != "" && (s.opts.Token == "" || token == s.opts.Token || token == s.opts.ReadOnlyToken)
	}
	if enc, ok := strings.CutPrefix(auth, "Basic "); ok {
		raw, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return false
		}
		user, token, _ := strings.Cut(string(raw), ":")
		if user == "" || token == "" {
			return false
		}
		return (s.opts.User == "" || user == s.opts.User) && (s.opts.Token == "" || token == s.opts.Token || token == s.opts.ReadOnlyToken)
	}
	return false
}

func (s *Server) unauthorized(w http.ResponseWriter) {
	if s.opts.Deployment == Cloud {
		// Cloud's 401 is outside the usual error envelope.
		w.Header().Set("Www-Authenticate", `Basic realm="protected-area"`)
		w.Header().Set("X-Seraph-Loginreason", "AUTHENTICATED_FAILED")
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Client must be authenticated to access this resource.", "status-code": 401})
		return
	}
	writeError(w, http.StatusUnauthorized, []string{"You are not authenticated. Authentication required to perform this operation."}, nil)
}

func (s *Server) base(r *http.Request) string { return "http://" + r.Host }
