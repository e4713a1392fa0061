// Package githubtest is an emulator of the GitHub REST API's issues and
// labels, and of the repository itself (whose permissions tell a
// read-only token apart), as an http.Handler speaking the wire format
// go-github expects: Link pagination, X-RateLimit-* headers, and the
// secondary rate limit that GitHub applies to content-creating calls made
// too fast.
//
// It serves both layouts: github.com's (paths from the root) and GitHub
// Enterprise's (under /api/v3/), so it can be mounted on a shared mux at
// "/api/v3/". Faults, call counts and state go through an
// [emulator.Admin]; fault paths are API paths without the /api/v3 prefix.
package githubtest

import (
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/emulator"
)

// Options configure a Server. The zero value serves the repository
// octo/ops with no write spacing and any token accepted.
type Options struct {
	// Repos are the "owner/name" repositories that exist, with push
	// access and anyone assignable; nil means just "octo/ops" unless
	// RepoSetup names some.
	Repos []string
	// RepoSetup are repositories with their own setup (the world file's
	// github.repos); one with the name of a Repos entry replaces it.
	RepoSetup []Repo
	// Token, when set, is the only token accepted.
	Token string
	// WriteSpacing is the least time between two content-creating calls;
	// a faster one gets the secondary rate limit. 0 disables it.
	WriteSpacing time.Duration
	// SecondaryStatus is the secondary limit's status: 403 (default) or
	// 429, which GitHub also sends.
	SecondaryStatus int
	// SecondaryNoRetryAfter leaves Retry-After out of the secondary
	// limit's answer, as GitHub may: clients must then wait at least a
	// minute, or until X-RateLimit-Reset.
	SecondaryNoRetryAfter bool
	// RateLimit is the primary limit per hour; 0 means 5000.
	RateLimit int
	// MaxPerPage caps per_page; 0 means 100. Small values exercise
	// pagination.
	MaxPerPage int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReadOnlyToken is accepted for reads; writes with it get 403.
	ReadOnlyToken string
	// AppTokens are GitHub App installation tokens, by token.
	AppTokens map[string]AppToken
	// IssuesDisabled makes the issues endpoints answer 410 Gone.
	IssuesDisabled bool
	// Admin counts calls and injects faults; nil means a private one.
	Admin *emulator.Admin
}

// Server emulates GitHub's issues and labels. Its methods are safe for
// concurrent use.
type Server struct {
	opts  Options
	admin *emulator.Admin
	mux   *http.ServeMux

	mu        sync.Mutex
	repos     map[string]*repo // by lower-case "owner/name"
	repoIDs   map[int64]*repo
	lastWrite time.Time
	used      int
	nextID    int64

	requests atomic.Int64
}

type repo struct {
	id     int64
	name   string // owner/name as created
	setup  Repo
	issues []*Issue
	labels []*Label
	pulls  []*pull
	git    *gitStore // made on first use (see Server.git)
}

// Repo is a repository's setup: what the token may do in it, who can be
// assigned, and the labels it starts with.
type Repo struct {
	Name string // owner/name
	// Push says the token has push access. Without it, GitHub "silently
	// drops" the labels and assignees of a new issue, and refuses to
	// create labels.
	Push bool
	// Assignable are the logins that can be assigned issues; nil means
	// anyone (an empty list means no one).
	Assignable []string
	// Labels are labels the repository has besides GitHub's defaults.
	Labels []string
}

// New returns a Server with the given options.
func New(opts Options) *Server {
	if opts.Repos == nil && opts.RepoSetup == nil {
		opts.Repos = []string{"octo/ops"}
	}
	if opts.SecondaryStatus == 0 {
		opts.SecondaryStatus = http.StatusForbidden
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = 5000
	}
	if opts.MaxPerPage <= 0 {
		opts.MaxPerPage = 100
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, admin: opts.Admin, repos: map[string]*repo{}, repoIDs: map[int64]*repo{}, nextID: 1308968600}
	if s.admin == nil {
		s.admin = emulator.New()
	}
	setups := make([]Repo, 0, len(opts.Repos)+len(opts.RepoSetup))
	for _, name := range opts.Repos {
		setups = append(setups, Repo{Name: name, Push: true})
	}
	for _, rs := range opts.RepoSetup {
		if i := slices.IndexFunc(setups, func(x Repo) bool { return strings.EqualFold(x.Name, rs.Name) }); i >= 0 {
			setups[i] = rs
			continue
		}
		setups = append(setups, rs)
	}
	s.opts.Repos = nil
	for i, rs := range setups {
		r := &repo{id: int64(515435940 + i), name: rs.Name, setup: rs}
		for j, l := range append([]string{"bug", "documentation", "enhancement"}, rs.Labels...) {
			s.nextID++
			r.labels = append(r.labels, &Label{ID: s.nextID, Name: l, Color: "d73a4a", Default: j < 3})
		}
		s.repos[strings.ToLower(rs.Name)] = r
		s.repoIDs[r.id] = r
		s.opts.Repos = append(s.opts.Repos, rs.Name)
	}
	s.mux = s.routes()
	s.admin.Register("github", func() any { return s.State() })
	s.registerHooks()
	return s
}

// NewTestServer starts s on 127.0.0.1, closed when the test ends, and
// returns its root URL: GitHub Enterprise clients use it as their base
// URL (go-github adds /api/v3/).
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

// ServeHTTP serves the API from the root or under /api/v3/. Stats and
// faults see the path without /api/v3, and so do the checks that come
// before routing.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if p, ok := strings.CutPrefix(path, "/api/v3"); ok && (p == "" || p[0] == '/') {
		path = p
	}
	call := emulator.Call{Service: "github", Method: r.Method, HTTPMethod: r.Method, Path: path}
	if path != r.URL.Path {
		call.SentPath = r.URL.Path
	}
	fault := s.admin.Begin(call)
	n := s.requests.Add(1)
	h := w.Header()
	h.Set("Server", "GitHub.com")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("%04X:%04X:%07X:%07X:%08X", n%0xffff, n*7%0xffff, n*31, n*131, n))
	h.Set("Access-Control-Expose-Headers", "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset")
	h.Set("X-Content-Type-Options", "nosniff")
	if !s.authorized(r) {
		s.rateHeaders(w, false)
		writeJSON(w, http.StatusUnauthorized, errBody("Bad credentials", "https://docs.github.com/rest"))
		return
	}
	if !s.rateHeaders(w, true) {
		s.admin.RateLimited(call)
		writeJSON(w, http.StatusForbidden, errBody("API rate limit exceeded for user ID 1.", "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"))
		return
	}
	if fault != nil && s.applyFault(w, r, call, fault) {
		return
	}
	if isWrite(r.Method) && s.readOnly(r) {
		writeJSON(w, http.StatusForbidden, errBody("Resource not accessible by personal access token", "https://docs.github.com/rest/issues/issues#create-an-issue"))
		return
	}
	if s.appRefuses(w, r, path) {
		return
	}
	if s.opts.IssuesDisabled && strings.Contains(path, "/issues") {
		writeJSON(w, http.StatusGone, errBody("Issues are disabled for this repo", "https://docs.github.com/rest/issues/issues"))
		return
	}
	if isWrite(r.Method) && !s.spaceWrite(w) {
		s.admin.RateLimited(call)
		return
	}
	s.route(w, r)
}

func isWrite(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		token, ok = strings.CutPrefix(auth, "token ")
	}
	_, app := s.opts.AppTokens[token]
	return ok && token != "" && (s.opts.Token == "" || token == s.opts.Token || token == s.opts.ReadOnlyToken || app)
}

// rateHeaders sets the primary limit's headers, counting the call when
// count is set; it reports false when the limit is used up.
func (s *Server) rateHeaders(w http.ResponseWriter, count bool) bool {
	now := s.opts.Now()
	reset := now.Truncate(time.Hour).Add(time.Hour)
	s.mu.Lock()
	ok := !count || s.used < s.opts.RateLimit
	if count && ok {
		s.used++
	}
	used := s.used
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.opts.RateLimit-used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Resource", "core")
	return ok
}

// spaceWrite applies the secondary limit: a content-creating call less
// than WriteSpacing after the previous one is refused with Retry-After.
func (s *Server) spaceWrite(w http.ResponseWriter) bool {
	if s.opts.WriteSpacing <= 0 {
		return true
	}
	now := s.opts.Now()
	s.mu.Lock()
	wait := s.lastWrite.Add(s.opts.WriteSpacing).Sub(now)
	if wait <= 0 {
		s.lastWrite = now
	}
	s.mu.Unlock()
	if wait <= 0 {
		return true
	}
	if !s.opts.SecondaryNoRetryAfter {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	writeJSON(w, s.opts.SecondaryStatus, errBody(
		"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID "+w.Header().Get("X-GitHub-Request-Id")+".",
		"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"))
	return false
}

// applyFault answers with the fault, or returns false to let the call
// through; a delay alone commits the call and answers late.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, call emulator.Call, f *emulator.Fault) bool {
	status := f.StatusCode()
	if status == 0 && f.Error == "" {
		if f.Truncate {
			t := emulator.NewTruncator(w)
			s.route(t, r)
			t.Finish()
			return true
		}
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
		return true
	}
	if f.Wait(r.Context()) != nil {
		return true
	}
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	if status == http.StatusTooManyRequests || (status == http.StatusForbidden && f.RetryAfter > 0) {
		s.admin.RateLimited(call)
	}
	msg := f.Error
	if msg == "" {
		msg = http.StatusText(status)
	}
	writeJSON(w, status, errBody(msg, "https://docs.github.com/rest"))
	return true
}
