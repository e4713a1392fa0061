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

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/demo"
	"github.com/wrapup/wrapup/internal/emustack"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/trackers"
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
	Index    string            `json:"index"`
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
	history, err := demo.HistoryArchives(tmp)
	if err != nil {
		return err
	}
	if err := stack.Seed(append([]*archive.Archive{sample}, history...)...); err != nil {
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
	old := []string{"2026-03-26-" + demo.Channel, ".wrapup-" + sample.Channel.ID}
	for _, h := range history {
		old = append(old, h.Channel.Name[len("incident-"):len("incident-2026-01-14")]+"-"+h.Channel.Name, ".wrapup-"+h.Channel.ID)
	}
	for _, o := range old {
		if err := os.RemoveAll(filepath.Join(*out, o)); err != nil {
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
	opts := pipeline.Options{
		Config: cfg, Channel: demo.Channel, OutDir: *out,
		Slack:   slackapi.New("xoxb-wrapup-demo", slackapi.Options{APIURL: base, Limiter: slackapi.NewLimiter(100)}),
		Tracker: wire.Tracker(cfg, demoEnv, "", 0),
		Tool:    tool(), Log: e.logger(),
	}
	res, err := pipeline.Run(ctx, opts)
	if err != nil {
		return err
	}
	if !res.Archived {
		return errors.New("demo: the channel was not archived")
	}
	// The two earlier sample incidents, wrapped up the same way, give the
	// library's index other months and severities.
	for i, h := range history {
		opts.Channel = h.Channel.Name
		hres, err := pipeline.Run(ctx, opts)
		if err != nil {
			return fmt.Errorf("demo: #%s: %w", h.Channel.Name, err)
		}
		if err := sampleStates(ctx, hres, i); err != nil {
			return err
		}
	}
	idx, paths, err := buildIndex(ctx, cfg, *out, time.Now())
	if err != nil {
		return fmt.Errorf("demo: index: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(demoResult{Channel: res.Channel, Dir: res.Dir, Counts: res.Counts,
			Tickets: res.Tickets, Archived: res.Archived, Emulator: base, Index: paths[1]})
	}
	w := e.stdout
	fmt.Fprintf(w, "\n✓ Postmortem draft: %s\n", filepath.Join(res.Dir, "postmortem.html"))
	fmt.Fprintf(w, "  also: %s, timeline.json, archive/ (verified), wrapup.json\n", "postmortem.md")
	fmt.Fprintf(w, "✓ %d action items filed in the Jira emulator:\n", len(res.Tickets))
	for _, t := range byNumber(res.Tickets) {
		fmt.Fprintf(w, "    %-7s %s\n            %s\n", t.ID, t.Summary, t.URL)
	}
	fmt.Fprintf(w, "✓ One wrap-up message posted in #%s, and the channel archived.\n", res.Channel)
	t := idx.Total
	fmt.Fprintf(w, "✓ Postmortem library: %s (and index.md), over %d incidents: this one and two earlier samples;\n", paths[1], t.Incidents)
	fmt.Fprintf(w, "  action items %d done, %d open, %d overdue (the samples' ticket states are recorded by the demo)\n",
		t.Actions.Done, t.Actions.Open, t.Actions.Overdue)
	fmt.Fprintf(w, "\nRun it again: it starts afresh. On a real incident: see README.md, \"Set it up\".\n")
	return nil
}

// sampleStates records ticket states for the i-th earlier sample
// incident, as `wrapup index --refresh-tickets` would once people had
// worked on them: the first ticket done two weeks after the incident, in
// the second incident the next one closed as not planned, the rest open.
// The demo's tracker is an emulator whose tickets were just filed, so
// these states are the demo's own, and it says so.
func sampleStates(ctx context.Context, res *pipeline.Result, i int) error {
	tickets := byNumber(res.Tickets)
	states := map[string]trackers.TicketState{}
	now := time.Now().UTC().Truncate(time.Second)
	for j, t := range tickets {
		st := trackers.TicketState{State: "open", CheckedAt: now}
		switch {
		case j == 0:
			done := sampleResolved[i]
			st = trackers.TicketState{State: "done", Done: true, ResolvedAt: &done, CheckedAt: now}
		case j == 1 && i == 1:
			st.State = "not_planned"
		}
		states[t.Key] = st
	}
	l := &folder.Ledger{Path: filepath.Join(res.Dir, folder.RecordName)}
	return l.SetStates(ctx, states)
}

// sampleResolved are when the samples' first tickets were done.
var sampleResolved = []time.Time{
	time.Date(2026, 1, 28, 15, 0, 0, 0, time.UTC),
	time.Date(2026, 3, 6, 11, 30, 0, 0, time.UTC),
}
