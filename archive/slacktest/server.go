package slacktest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/emulator"
)

// Options configure a [Server]. The zero Options give a workspace where any
// non-empty token acts as the bot with every scope and rate limits are off.
// As on Slack, the bot is a member only of the channels whose archive lists
// it among the members, and of those it joins; archiving a channel removes
// it (see the package doc).
type Options struct {
	TeamID       string // default "T0EMULATE"
	TeamName     string // default "Emulated Workspace"
	WorkspaceURL string // auth.test's url and permalinks' base; default "https://emulated.slack.com/"

	BotUserID string // default "U0EMUBOT"
	BotID     string // default "B0EMUBOT"
	BotName   string // default "wrapup"
	AppID     string // default "A0EMUAPP"

	// Tokens maps each accepted token to what it may do. Nil accepts any
	// non-empty token as the bot with every scope.
	Tokens map[string]Token

	// RateLimits turns on Slack's per-method rate limits.
	RateLimits bool
	// RateScale speeds the rate limits' clock up: 60 lets a Tier 2 method
	// take 20 calls a second instead of a minute. 0 means 1.
	RateScale float64
	// Distributed emulates a commercially distributed app not approved
	// for the Slack Marketplace: since 2025, conversations.history and
	// .replies take 1 call a minute (per method, under RateScale, even
	// with RateLimits off) and pages of at most 15 messages.
	Distributed bool

	// Restricted lists methods that a workspace preference forbids, which
	// then answer restricted_action (conversations.archive, chat.postMessage).
	Restricted []string

	// Clock gives the time of posted messages; nil means time.Now.
	Clock func() time.Time

	// Admin receives the call counts, supplies the faults and gets the
	// "slack" section of the state. Nil gives the server its own, which
	// it serves under /_emulator/.
	Admin *emulator.Admin
}

// Token is what one token may do.
type Token struct {
	// UserID is who the token acts as; empty means the bot user.
	UserID string
	// Scopes are the token's OAuth scopes; nil means every scope.
	Scopes []string
	// Revoked makes every call answer token_revoked.
	Revoked bool
}

// allScopes are the scopes a token with nil Scopes holds.
var allScopes = []string{"bookmarks:read", "channels:history", "channels:join", "channels:manage",
	"channels:read", "chat:write", "files:read", "groups:history", "groups:read", "groups:write",
	"pins:read", "users:read", "users:read.email"}

// Server emulates the Slack Web API over a workspace. It is safe for
// concurrent use.
type Server struct {
	opts    Options
	admin   *emulator.Admin
	ownAdm  bool
	limiter *limiter

	mu       sync.RWMutex
	channels map[string]*channel
	order    []string // channel IDs in the order added
	users    map[string]*user
	userIDs  []string // sorted
	files    map[string]*file
	posted   []postedMessage
	lastTS   archive.TS // the newest ts in the workspace
}

// New returns a Server with an empty workspace, holding only the bot user.
func New(opts Options) *Server {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&opts.TeamID, "T0EMULATE")
	def(&opts.TeamName, "Emulated Workspace")
	def(&opts.WorkspaceURL, "https://emulated.slack.com/")
	if !strings.HasSuffix(opts.WorkspaceURL, "/") {
		opts.WorkspaceURL += "/"
	}
	def(&opts.BotUserID, "U0EMUBOT")
	def(&opts.BotID, "B0EMUBOT")
	def(&opts.BotName, "wrapup")
	def(&opts.AppID, "A0EMUAPP")
	if opts.RateScale <= 0 {
		opts.RateScale = 1
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	s := &Server{opts: opts, admin: opts.Admin, channels: map[string]*channel{},
		users: map[string]*user{}, files: map[string]*file{}}
	if s.admin == nil {
		s.admin, s.ownAdm = emulator.New(), true
	}
	if opts.RateLimits || opts.Distributed {
		s.limiter = newLimiter(opts.RateScale)
	}
	_ = s.addUserLocked(&archive.User{ID: opts.BotUserID, Name: opts.BotName, IsBot: true,
		Profile: archive.UserProfile{RealName: opts.BotName}})
	s.admin.Register("slack", s.state)
	return s
}

// Admin returns the admin API the server reports to, for mounting at
// /_emulator/ beside other emulators.
func (s *Server) Admin() *emulator.Admin { return s.admin }

// NewTestServer starts a Server on 127.0.0.1 for the test and stops it when
// the test ends. It returns the server and its base URL; point slack-go at
// url+"/api/".
func NewTestServer(tb testing.TB, opts Options) (*Server, string) {
	tb.Helper()
	s := New(opts)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("slacktest: listen on 127.0.0.1: %v", err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: s}}
	ts.Start()
	tb.Cleanup(ts.Close)
	return s, ts.URL
}

// ServeHTTP serves the Web API under /api/, file downloads under
// /files-pri/, and, when the server owns its admin, /_emulator/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/api/"):
		s.serveAPI(w, r, strings.TrimPrefix(p, "/api/"))
	case strings.HasPrefix(p, "/files-pri/"):
		s.serveFile(w, r)
	case p == "/signin":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!DOCTYPE html><title>Sign in</title><p>Sign in to " + htmlEscape(s.opts.TeamName) + "</p>\n"))
	case strings.HasPrefix(p, "/_emulator/") && s.ownAdm:
		s.admin.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

// baseURL is the emulator's own scheme and host, as the client reached it.
func baseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// identity resolves a token: the Token, and "" or the Slack error code.
func (s *Server) identity(token string) (Token, string) {
	if token == "" {
		return Token{}, "not_authed"
	}
	t := Token{}
	if s.opts.Tokens != nil {
		var ok bool
		if t, ok = s.opts.Tokens[token]; !ok {
			return Token{}, "invalid_auth"
		}
	}
	if t.Revoked {
		return Token{}, "token_revoked"
	}
	if t.UserID == "" {
		t.UserID = s.opts.BotUserID
	}
	if t.Scopes == nil {
		t.Scopes = allScopes
	}
	return t, ""
}

func (t Token) has(scope string) bool { return slices.Contains(t.Scopes, scope) }

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
