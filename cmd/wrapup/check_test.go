package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/preflight"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// checkJSON is the part of check --json's document the tests read.
type checkJSON struct {
	OK     bool `json:"ok"`
	Checks []struct {
		Name, Status, Detail, Fix string
	} `json:"checks"`
	Slack *struct {
		Granted []string            `json:"granted"`
		Missing []preflight.Missing `json:"missing"`
	} `json:"slack"`
}

func TestCheckCommand(t *testing.T) {
	stack := emustack.New(emustack.Options{Slack: func(o *slacktest.Options) {
		o.Tokens = map[string]slacktest.Token{
			"xoxb-all":  {},
			"xoxb-some": {Scopes: []string{"channels:history", "groups:history", "channels:read", "groups:read", "users:read", "pins:read", "bookmarks:read", "chat:write", "channels:join", "files:read"}},
		}
	}})
	srv := httptest.NewServer(stack)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.yaml", "export:\n  files: maybe\n")
	jira := write("jira.yaml", "tracker:\n  kind: jira\n  jira: {project: OPS}\n")
	custom := write("custom.yaml", "slack:\n  token_env: WRAPUP_SLACK\n")

	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		code     int
		ok       bool
		missing  []string // Slack scopes reported missing; nil when Slack was not checked
		statuses map[string]string
	}{
		{"no tokens", []string{}, nil, 0, true, nil,
			map[string]string{"config": "ok", "slack.auth": "skipped", "tracker": "skipped"}},
		{"all good", []string{"--config", jira}, map[string]string{"SLACK_TOKEN": "xoxb-all", "JIRA_USER": "a@example.com", "JIRA_TOKEN": "jira-secret-1"}, 0, true, []string{},
			map[string]string{"slack.auth": "ok", "slack.scope users:read.email": "ok", "jira.site": "ok", "jira.create": "ok"}},
		{"scopes missing", []string{"--config", jira}, map[string]string{"SLACK_TOKEN": "xoxb-some"}, 1, false,
			[]string{"users:read.email", "channels:manage", "groups:write"},
			map[string]string{"slack.scope groups:write": "failed", "slack.scope files:read": "ok", "jira.site": "skipped"}},
		{"custom token variable", []string{"--config", custom}, map[string]string{"WRAPUP_SLACK": "xoxb-some", "SLACK_TOKEN": "xoxb-all"}, 1, false,
			[]string{"channels:manage", "groups:write"}, nil},
		{"bad token", []string{}, map[string]string{"SLACK_TOKEN": "xoxb-nope"}, 1, false, nil,
			map[string]string{"slack.auth": "failed"}},
		{"config error", []string{"--config", bad}, nil, 2, false, nil,
			map[string]string{"config": "failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"SLACK_API_URL": srv.URL, "JIRA_URL": srv.URL, "GITHUB_API_URL": srv.URL}
			for k, v := range tt.env {
				env[k] = v
			}
			getenv := func(k string) string { return env[k] }
			for _, asJSON := range []bool{false, true} {
				args := append([]string{"check"}, tt.args...)
				if asJSON {
					args = append(args, "--json")
				}
				var out, errb bytes.Buffer
				code := exitCode(run(context.Background(), args, &out, &errb, getenv), &errb)
				if code != tt.code {
					t.Errorf("%v: exit %d; want %d\n%s%s", args, code, tt.code, out.String(), errb.String())
				}
				for k, v := range tt.env {
					if k != "JIRA_USER" && strings.Contains(out.String()+errb.String(), v) {
						t.Errorf("%v: the output shows the token in %s", args, k)
					}
				}
				if !asJSON {
					continue
				}
				dec := json.NewDecoder(&out)
				var doc checkJSON
				if err := dec.Decode(&doc); err != nil {
					t.Fatalf("%v: stdout is not JSON: %v", args, err)
				}
				if dec.More() {
					t.Errorf("%v: more than one JSON document on stdout", args)
				}
				if doc.OK != tt.ok {
					t.Errorf("ok = %v; want %v", doc.OK, tt.ok)
				}
				got := map[string]string{}
				for _, c := range doc.Checks {
					got[c.Name] = c.Status
				}
				for name, want := range tt.statuses {
					if got[name] != want {
						t.Errorf("%s: %q; want %q (all: %v)", name, got[name], want, got)
					}
				}
				if tt.missing == nil {
					if doc.Slack != nil {
						t.Errorf("slack section %+v; want none", doc.Slack)
					}
					continue
				}
				if doc.Slack == nil {
					t.Fatal("no slack section")
				}
				var missing []string
				for _, m := range doc.Slack.Missing {
					missing = append(missing, m.Scope)
				}
				if diff := cmp.Diff(tt.missing, append([]string{}, missing...)); diff != "" {
					t.Errorf("missing (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// cmdEmulate is the testscript command emulate: it starts the Slack, Jira
// and GitHub emulators in-process on 127.0.0.1 for the rest of the script
// and points wrapup at them with SLACK_API_URL, JIRA_URL and
// GITHUB_API_URL (EMULATOR_URL holds the same base URL).
//
//	emulate [-slack-token T] [-scopes all|none|s1,s2,...] [-revoked]
//	        [-readonly-token T] [-jira-deployment cloud|datacenter]
//	        [-world FILE] [-demo] [-seed DIR] [-invite IDS]
//
// Slack accepts only -slack-token (default xoxb-test), with the given
// scopes. Jira (projects OPS, INC, SRE) and GitHub (acme/incidents,
// acme/postmortems, octo/ops) accept any token; -readonly-token names one
// that may read but not create issues (Jira: no CREATE_ISSUES; GitHub:
// push false). -world sets the emulators up as wrapup-emulator --world
// does (its projects, users, search lag and repos).
func cmdEmulate(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! emulate")
	}
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	token := fs.String("slack-token", "xoxb-test", "the Slack token accepted")
	scopes := fs.String("scopes", "all", "the Slack token's scopes: all, none, or a comma-separated list")
	revoked := fs.Bool("revoked", false, "the Slack token is revoked")
	readOnly := fs.String("readonly-token", "", "a Jira and GitHub token that may read but not create")
	deployment := fs.String("jira-deployment", jiratest.Cloud, "cloud or datacenter")
	withDemo := fs.Bool("demo", false, "seed Slack with the bundled sample incident")
	seed := fs.String("seed", "", "seed Slack with every channel of this Slack export")
	invite := fs.String("invite", "", "channel IDs (comma-separated) a person invited the app to")
	worldFile := fs.String("world", "", "a world file, as wrapup-emulator --world reads it")
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("emulate: %v", err)
	}
	var world *emustack.World
	if *worldFile != "" {
		if *readOnly != "" || *deployment != jiratest.Cloud {
			ts.Fatalf("emulate: -world does not combine with -readonly-token or -jira-deployment")
		}
		var err error
		world, err = emustack.LoadWorld(ts.MkAbs(*worldFile))
		ts.Check(err)
	}
	tok := slacktest.Token{Revoked: *revoked}
	switch *scopes {
	case "all":
	case "none":
		tok.Scopes = []string{}
	default:
		tok.Scopes = strings.Split(*scopes, ",")
	}
	stack := emustack.New(emustack.Options{WorkspaceURL: "https://acme.slack.com/", World: world,
		Slack: func(o *slacktest.Options) { o.Tokens = map[string]slacktest.Token{*token: tok} }})
	if *withDemo {
		a, err := demo.Archive(ts.MkAbs("demo-tmp"))
		ts.Check(err)
		ts.Check(stack.Seed(a))
	}
	if *seed != "" {
		exp, err := slackexport.Open(ts.MkAbs(*seed), slackexport.Options{})
		ts.Check(err)
		defer exp.Close()
		for _, ch := range exp.Channels() {
			a, err := exp.Read(ch.ID)
			ts.Check(err)
			ts.Check(stack.Seed(a))
		}
	}
	for id := range strings.SplitSeq(*invite, ",") {
		if id != "" {
			ts.Check(stack.Slack.Invite(id, "U0EMUBOT"))
		}
	}
	var h http.Handler = stack
	if *readOnly != "" || *deployment != jiratest.Cloud {
		// emustack's trackers have no read-only token: serve our own.
		mux := http.NewServeMux()
		mux.Handle("/rest/", jiratest.New(jiratest.Options{Deployment: *deployment, ReadOnlyToken: *readOnly,
			Projects: []string{"OPS", "INC", "SRE"}}))
		mux.Handle("/api/v3/", githubtest.New(githubtest.Options{ReadOnlyToken: *readOnly,
			Repos: []string{"octo/ops", "acme/incidents"}}))
		mux.Handle("/", stack)
		h = mux
	}
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	ts.Defer(srv.Close)
	for _, k := range []string{"EMULATOR_URL", "SLACK_API_URL", "JIRA_URL", "GITHUB_API_URL"} {
		ts.Setenv(k, srv.URL)
	}
}
