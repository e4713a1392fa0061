package preflight_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/testenv"
)

// without returns all but the named scopes of everything wrapup may need.
func without(drop ...string) []string {
	var out []string
outer:
	for _, s := range []string{"bookmarks:read", "channels:history", "channels:join", "channels:manage",
		"channels:read", "chat:write", "files:read", "groups:history", "groups:read", "groups:write",
		"pins:read", "users:read", "users:read.email"} {
		for _, d := range drop {
			if s == d {
				continue outer
			}
		}
		out = append(out, s)
	}
	return out
}

// stack starts the three emulators on 127.0.0.1 with these Slack tokens
// and returns the base URL.
func stack(t *testing.T, tokens map[string]slacktest.Token) string {
	t.Helper()
	s := emustack.New(emustack.Options{WorkspaceURL: "https://acme.slack.com/",
		Slack: func(o *slacktest.Options) { o.Tokens = tokens }})
	return serve(t, s)
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts.URL
}

var slackTokens = map[string]slacktest.Token{
	"xoxb-all":     {},
	"xoxb-partial": {Scopes: without("users:read.email", "channels:manage")},
	"xoxb-revoked": {Revoked: true},
}

func readManifest(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "deploy", "slack-app-manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
