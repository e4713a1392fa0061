package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/term"
	"github.com/wrapup/wrapup/internal/wire"
	"github.com/wrapup/wrapup/library"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/trackers"
)

func runIndex(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfgPath := fs.String("config", "", configHelp)
	out := fs.String("out", "", "the folder holding the incident folders (default: output.dir)")
	refresh := fs.Bool("refresh-tickets", false, "ask the tracker for every filed ticket's state first, and record it in each wrapup.json")
	asJSON := fs.Bool("json", false, "print the index's figures as one JSON document on stdout")
	lf := addLogFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := lf.apply(&e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("index: unexpected argument %q", fs.Arg(0))
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	dir := cfg.Output.Dir
	if *out != "" {
		dir = *out
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("index: %s is not a folder of incident folders (--out, or output.dir)", dir)
	}
	if *refresh {
		if err := refreshTickets(ctx, e, cfg, dir); err != nil {
			return err
		}
	}
	idx, paths, err := buildIndex(ctx, cfg, dir, time.Now())
	if err != nil {
		return err
	}
	for _, s := range idx.Skipped {
		fmt.Fprintf(e.stderr, "wrapup: index: skipped %s: %s\n", term.Line(s.Folder), term.Line(s.Why))
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(idx.JSON())
	}
	t := idx.Total
	fmt.Fprintf(e.stderr, "wrapup: index of %d incidents (%d skipped); action items: %d done, %d open, %d overdue\n",
		t.Incidents, len(idx.Skipped), t.Actions.Done, t.Actions.Open, t.Actions.Overdue)
	for _, p := range paths {
		if _, err := fmt.Fprintln(e.stdout, term.Line(p)); err != nil {
			return err
		}
	}
	return nil
}

// buildIndex builds the index of the incident folders under dir and
// writes index.md and index.html there; run, sweep and demo share it.
func buildIndex(ctx context.Context, cfg *config.Config, dir string, now time.Time) (*library.Index, []string, error) {
	idx, err := library.Build(ctx, library.Options{Dir: dir, OverdueAfter: cfg.Index.OverdueAfter, Now: now})
	if err != nil {
		return nil, nil, err
	}
	docs, err := library.Render(idx, cfg.Output.Templates)
	var terr *render.TemplateError
	if errors.As(err, &terr) {
		return nil, nil, usageError{err} // a broken override template is a config error
	}
	if err != nil {
		return nil, nil, err
	}
	paths, err := docs.Write(dir)
	return idx, paths, err
}

// refreshTickets asks the configured tracker for the state of every
// ticket filed from the incident folders under dir, in one StateReader
// call, and records the answers in each folder's wrapup.json.
func refreshTickets(ctx context.Context, e env, cfg *config.Config, dir string) error {
	kind := cfg.Tracker.Kind
	if kind == "none" {
		return usagef("index: --refresh-tickets needs a tracker: tracker.kind is none")
	}
	svc, _, err := wire.Tracker(cfg, e.getenv, "", 0)("", "")
	if err != nil {
		return usageError{err}
	}
	reader, ok := svc.(trackers.StateReader)
	if !ok {
		return fmt.Errorf("index: the %s tracker cannot read ticket states", kind)
	}
	res, err := library.RefreshTickets(ctx, dir, kind, reader, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrapup: index: asked %s about %d tickets: %d found, states recorded in %d incident folders\n",
		kind, res.Asked, res.Found, res.Folders)
	for _, id := range res.Missing {
		fmt.Fprintf(e.stderr, "wrapup: index: %s no longer knows ticket %s\n", kind, term.Line(id))
	}
	return nil
}
