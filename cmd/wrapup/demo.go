package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// demoResult is demo's --json document.
type demoResult struct {
	Channel  string            `json:"channel"`
	Dir      string            `json:"dir"`
	Counts   any               `json:"counts"`
	Tickets  []pipeline.Ticket `json:"tickets"`
	Archived bool              `json:"archived"`
	Emulator string            `json:"emulator"`
}

// runDemo runs the whole pipeline on the bundled sample incident, against
// Slack and Jira emulators started in this process on 127.0.0.1: no config,
// no token, no network.
func runDemo(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	out := fs.String("out", "wrapup-demo", "folder for the demo's incident folder")
	asJSON := fs.Bool("json", false, "print the run summary as one JSON document on stdout")
	lf := addLogFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := lf.apply(&e); err != nil {
		return err
	}
	stack := emustack.New(emustack.Options{WorkspaceURL: "https://wrapup-demo.slack.com/",
		JiraUsers: []jiratest.User{
			{AccountID: "5b10a2844c20165700ede21g", Email: "dave@example.com", DisplayName: "Dave Diaz"},
			{AccountID: "5b10ac8d82e05b22cc7d4ef5", Email: "carol@example.com", DisplayName: "Carol Chen"},
		}})
	tmp, err := os.MkdirTemp("", "wrapup-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	sample, err := demo.Archive(tmp)
	if err != nil {
		return err
	}
	if err := stack.Seed(sample); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: stack, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	// A demo starts afresh: its emulators are new, so a previous demo's
	// folder would point at tickets that no longer exist.
	for _, old := range []string{"2026-03-26-" + demo.Channel, ".wrapup-" + sample.Channel.ID} {
		if err := os.RemoveAll(filepath.Join(*out, old)); err != nil {
			return err
		}
	}
	cfg := config.Default()
	cfg.Slack.APIURL = base
	cfg.Tracker.Kind = "jira"
	cfg.Tracker.Jira.URL = base
	cfg.Tracker.Jira.Project = "OPS"
	demoEnv := func(k string) string {
		return map[string]string{"JIRA_USER": "wrapup-demo@example.com", "JIRA_TOKEN": "demo-token"}[k]
	}
	fmt.Fprintf(e.stderr, "wrapup demo: Slack, Jira and GitHub emulators on %s, seeded with #%s\n", base, demo.Channel)
	res, err := pipeline.Run(ctx, pipeline.Options{
		Config: cfg, Channel: demo.Channel, OutDir: *out,
		Slack:   slackapi.New("xoxb-wrapup-demo", slackapi.Options{APIURL: base, Limiter: slackapi.NewLimiter(100)}),
		Tracker: wire.Tracker(cfg, demoEnv, "", 0),
		Tool:    tool(), Log: e.logger(),
	})
	if err != nil {
		return err
	}
	if !res.Archived {
		return errors.New("demo: the channel was not archived")
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(demoResult{Channel: res.Channel, Dir: res.Dir, Counts: res.Counts,
			Tickets: res.Tickets, Archived: res.Archived, Emulator: base})
	}
	w := e.stdout
	fmt.Fprintf(w, "\n✓ Postmortem draft: %s\n", filepath.Join(res.Dir, "postmortem.html"))
	fmt.Fprintf(w, "  also: %s, timeline.json, archive/ (verified), wrapup.json\n", "postmortem.md")
	fmt.Fprintf(w, "✓ %d action items filed in the Jira emulator:\n", len(res.Tickets))
	for _, t := range byNumber(res.Tickets) {
		fmt.Fprintf(w, "    %-7s %s\n            %s\n", t.ID, t.Summary, t.URL)
	}
	fmt.Fprintf(w, "✓ One wrap-up message posted in #%s, and the channel archived.\n", res.Channel)
	fmt.Fprintf(w, "\nRun it again: it starts afresh. On a real incident: see README.md, \"Set it up\".\n")
	return nil
}
