package preflight_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/preflight"
)

func TestCheckSlack(t *testing.T) {
	base := stack(t, slackTokens)
	cfg := config.Default()
	cfg.Tracker.Kind = "jira" // needs every scope, users:read.email included
	needed := preflight.NeededScopes(cfg)
	tests := []struct {
		name, token, url string
		missing          []string
		err              string // a part of the error
	}{
		{"all scopes", "xoxb-all", base, nil, ""},
		{"all scopes, /api URL", "xoxb-all", base + "/api", nil, ""},
		{"all scopes, /api/ URL", "xoxb-all", base + "/api/", nil, ""},
		{"two missing", "xoxb-partial", base, []string{"users:read.email", "channels:manage"}, ""},
		{"revoked", "xoxb-revoked", base, nil, "revoked"},
		{"invalid", "xoxb-wrong", base, nil, "not valid"},
		{"no token", "", base, nil, "no token"},
		{"unreachable", "xoxb-all", "http://127.0.0.1:1", nil, "auth.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := preflight.CheckSlack(context.Background(), preflight.SlackConn{APIURL: tt.url, Token: tt.token}, needed)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v; want one saying %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "xoxb-") {
					t.Errorf("the error %q shows the token", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Missing == nil {
				t.Error("Missing is nil; want [] for JSON")
			}
			var got []string
			for _, m := range a.Missing {
				got = append(got, m.Scope)
				if m.Breaks == "" || m.Breaks != preflight.Breaks(m.Scope) {
					t.Errorf("%s: breaks %q", m.Scope, m.Breaks)
				}
			}
			if diff := cmp.Diff(tt.missing, got); diff != "" {
				t.Errorf("missing (-want +got):\n%s", diff)
			}
			if a.Team != "Emulated Workspace" || a.URL != "https://acme.slack.com/" || a.User == "" {
				t.Errorf("identity %+v", a)
			}
			if len(a.Granted) != 13-len(tt.missing) {
				t.Errorf("%d granted; want %d", len(a.Granted), 13-len(tt.missing))
			}
			var mse *preflight.MissingScopesError
			if err := a.Err(); (err != nil) != (len(tt.missing) > 0) || (err != nil && !errors.As(err, &mse)) {
				t.Errorf("Err() = %v", err)
			}
		})
	}
	t.Run("jira cloud assignees reason", func(t *testing.T) {
		a, err := preflight.CheckSlack(context.Background(), preflight.SlackConn{APIURL: base, Token: "xoxb-partial"}, needed)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Missing[0].Breaks, "Jira Cloud") || !strings.Contains(a.Missing[1].Breaks, "archived") {
			t.Errorf("reasons %+v", a.Missing)
		}
	})
}

// TestScopesNeeded: without Jira, users:read.email is not needed, so
// the partial token lacks only channels:manage.
func TestScopesNeeded(t *testing.T) {
	base := stack(t, slackTokens)
	needed := preflight.NeededScopes(config.Default())
	check := func(token string) error {
		a, err := preflight.CheckSlack(context.Background(), preflight.SlackConn{APIURL: base, Token: token}, needed)
		if err != nil {
			return err
		}
		return a.Err()
	}
	if err := check("xoxb-all"); err != nil {
		t.Errorf("all scopes: %v", err)
	}
	var mse *preflight.MissingScopesError
	if err := check("xoxb-partial"); !errors.As(err, &mse) || len(mse.Missing) != 1 || mse.Missing[0].Scope != "channels:manage" {
		t.Errorf("partial: %v; want channels:manage missing (users:read.email is not needed without Jira)", err)
	}
	if err := check("xoxb-revoked"); err == nil {
		t.Error("revoked: no error")
	}
}

func TestSlackAPIURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                           "https://slack.com/api/",
		"http://127.0.0.1:8080":      "http://127.0.0.1:8080/api/",
		"http://127.0.0.1:8080/":     "http://127.0.0.1:8080/api/",
		"http://127.0.0.1:8080/api":  "http://127.0.0.1:8080/api/",
		"http://127.0.0.1:8080/api/": "http://127.0.0.1:8080/api/",
	} {
		if got := slackapi.NormalizeAPIURL(in); got != want {
			t.Errorf("NormalizeAPIURL(%q) = %q; want %q", in, got, want)
		}
	}
}
