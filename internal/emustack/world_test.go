package emustack_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/emustack"
)

func TestLoadWorld(t *testing.T) {
	w, err := emustack.LoadWorld(filepath.Join("testdata", "world.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := &emustack.World{
		Slack: emustack.SlackWorld{App: "distributed", BotUser: "U0WRAPUP"},
		Jira: emustack.JiraWorld{
			SearchLag: 2 * time.Second,
			Projects: []emustack.JiraProject{
				{Key: "OPS", IssueTypes: []string{"Task", "Bug"}, RequiredFields: []string{}, LabelsOnScreen: true},
				{Key: "SEC", IssueTypes: []string{"Task"}, RequiredFields: []string{"components"}},
			},
			Users: []emustack.JiraUser{
				{AccountID: "557058:alice", Name: "alice", Email: "alice@acme.example", DisplayName: "Alice",
					Assignable: []string{"OPS"}},
				// Left out, email_visible is true.
				{AccountID: "557058:bob", Email: "bob@acme.example", EmailVisible: true},
			},
		},
		GitHub: emustack.GitHubWorld{Repos: []emustack.GitHubRepo{
			{Name: "acme/incidents", Push: true, Assignable: []string{"alice-gh"}, Labels: []string{}},
			{Name: "acme/readonly"},
		}},
	}
	if d := cmp.Diff(want, w); d != "" {
		t.Errorf("world (-want +got):\n%s", d)
	}
	if !w.Slack.Distributed() {
		t.Error("Distributed() is false for app: distributed")
	}
}

func TestLoadWorldDefaults(t *testing.T) {
	for _, src := range []string{"", "slack: {}\n", "github:\n  repos:\n    - {name: o/r}\n"} {
		w, err := emustack.ParseWorld("w.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if w.Slack.Distributed() || w.Slack.BotUser != "" {
			t.Errorf("%q: slack %+v, want the internal app and the default bot", src, w.Slack)
		}
		if len(w.GitHub.Repos) == 1 && !w.GitHub.Repos[0].Push {
			t.Errorf("%q: push left out is false, want true", src)
		}
	}
}

func TestLoadWorldErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
		key, msg  string
	}{
		{"unknown top key", "slack: {}\nconfluence: {}\n", 2, "confluence", "unknown key (valid here: slack, jira, github)"},
		{"unknown nested key", "slack:\n  app: internal\n  bot_token: x\n", 3, "slack.bot_token", "unknown key (valid here: app, bot_user)"},
		{"unknown key in a list item", "jira:\n  projects:\n    - key: OPS\n      issue_types: [Task]\n      screen: x\n", 5,
			"jira.projects[0].screen", "unknown key"},
		{"bad app", "slack:\n  app: foo\n", 2, "slack.app", `"foo" is not one of internal, distributed`},
		{"bad bot user", "slack:\n  bot_user: wrapup\n", 2, "slack.bot_user", "not a Slack user ID"},
		{"negative lag", "jira:\n  search_lag: -1s\n", 2, "jira.search_lag", "must not be negative"},
		{"bad lag", "jira:\n  search_lag: soon\n", 2, "", "soon"},
		{"lag without a unit", "jira:\n  search_lag: 5\n", 2, "jira.search_lag", `want a duration such as 2m or 500ms, got "5"`},
		{"bad bool", "github:\n  repos:\n    - {name: o/r, push: maybe}\n", 3, "", "maybe"},
		{"bad project key", "jira:\n  projects:\n    - {key: ops, issue_types: [Task]}\n", 3, "jira.projects[0].key", `"ops" is not a Jira project key`},
		{"no issue types", "jira:\n  projects:\n    - {key: OPS}\n", 3, "jira.projects[0].issue_types", "needs at least one issue type"},
		{"assignable in an unknown project", "jira:\n  projects: [{key: OPS, issue_types: [Task]}]\n  users:\n    - {account_id: a, assignable: [INC]}\n",
			4, "jira.users[0].assignable[0]", `"INC" is not a project of jira.projects`},
		{"user without id", "jira:\n  users:\n    - {email: a@b.example}\n", 3, "jira.users[0]", "needs an account_id"},
		{"bad repo", "github:\n  repos:\n    - name: incidents\n", 3, "github.repos[0].name", `"incidents" is not owner/name`},
		{"repo twice", "github:\n  repos: [{name: o/r}, {name: O/R}]\n", 2, "github.repos[1].name", "listed twice"},
		{"list for a mapping", "slack: [internal]\n", 1, "slack", "want a mapping, got a list"},
		{"mapping for a list", "github:\n  repos: {name: o/r}\n", 2, "github.repos", "want a list, got a mapping"},
		{"key twice", "slack:\n  app: internal\n  app: distributed\n", 3, "slack.app", "key given twice"},
		{"not yaml", "slack: [\n", 1, "", "did not find expected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := emustack.ParseWorld("world.yaml", []byte(tc.src))
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *config.Error", err)
			}
			if ce.File != "world.yaml" || ce.Line != tc.line || ce.Key != tc.key || !strings.Contains(ce.Err.Error(), tc.msg) {
				t.Errorf("err = %q (line %d, key %q), want line %d, key %q, %q", err, ce.Line, ce.Key, tc.line, tc.key, tc.msg)
			}
		})
	}
}

func TestLoadWorldMissingFile(t *testing.T) {
	_, err := emustack.LoadWorld(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("err = %v, want the missing file named", err)
	}
}

// FuzzParseWorld: whatever the bytes, the parser returns a world or an
// error naming the file, and never panics.
func FuzzParseWorld(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "world.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("slack: {app: foo}\n"))
	f.Add([]byte("jira:\n  projects:\n    - &p {key: OPS, issue_types: [Task]}\n    - *p\n"))
	f.Add([]byte("github: {repos: [{name: o/r, <<: {push: false}}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := emustack.ParseWorld("fuzz.yaml", data)
		if err != nil {
			if w != nil {
				t.Errorf("a world and an error: %v", err)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if w == nil {
			t.Fatal("nil world and nil error")
		}
		if a := w.Slack.App; a != "" && a != emustack.AppInternal && a != emustack.AppDistributed {
			t.Errorf("app %q accepted", a)
		}
	})
}
