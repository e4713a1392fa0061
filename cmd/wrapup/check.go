package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/preflight"
)

// runCheck validates the config, then checks whatever the tokens in the
// environment allow: Slack's scopes, the tracker's reach and permissions.
// Exit 0 when nothing failed (skipped checks included), 1 when something
// did, 2 when the config itself is wrong.
func runCheck(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfgPath := fs.String("config", "", configHelp)
	asJSON := fs.Bool("json", false, "print one JSON document with every check on stdout")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	path, _, ferr := findConfig(*cfgPath, e.getenv)
	if ferr == nil {
		*cfgPath = path
	}
	cfg, err := config.Load(*cfgPath, e.getenv)
	if ferr != nil {
		err = ferr
	}
	if err != nil {
		name := *cfgPath
		if name == "" {
			name = "(defaults)"
		}
		r := &preflight.Report{Config: name, Checks: []preflight.Check{{Name: "config", Status: preflight.Failed,
			Detail: err.Error(), Fix: "correct the config; DESIGN's Config section lists every key and its default"}}}
		if *asJSON {
			if err := writeCheckJSON(e.stdout, r); err != nil {
				return err
			}
		}
		return usageError{err}
	}
	r := preflight.Run(ctx, cfg, e.getenv, preflight.Options{})
	if *asJSON {
		err = writeCheckJSON(e.stdout, r)
	} else {
		err = writeCheckText(e.stdout, r)
	}
	if err != nil {
		return err
	}
	if n := countStatus(r, preflight.Failed); n > 0 {
		return fmt.Errorf("check: %d problem(s) found", n)
	}
	return nil
}

func writeCheckJSON(w io.Writer, r *preflight.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// checkMarks are the report's margin: ✓ passed, ✗ failed, - skipped.
var checkMarks = map[preflight.Status]string{preflight.OK: "✓", preflight.Failed: "✗", preflight.Skipped: "-"}

// writeCheckText prints one line per check, the fix under each failure,
// and a summary that says what was skipped.
func writeCheckText(w io.Writer, r *preflight.Report) error {
	var b strings.Builder
	for _, c := range r.Checks {
		detail := c.Detail
		if c.Status == preflight.Skipped {
			detail = "skipped: " + detail
		}
		fmt.Fprintf(&b, "%s %s: %s\n", checkMarks[c.Status], c.Name, detail)
		if c.Fix != "" {
			fmt.Fprintf(&b, "    fix: %s\n", c.Fix)
		}
	}
	failed, skipped := countStatus(r, preflight.Failed), countStatus(r, preflight.Skipped)
	switch {
	case failed > 0:
		fmt.Fprintf(&b, "\n%d problem(s) found", failed)
	default:
		b.WriteString("\nAll checks passed")
	}
	if skipped > 0 {
		fmt.Fprintf(&b, "; %d check(s) skipped for want of a token or a tracker", skipped)
	}
	b.WriteString(".\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func countStatus(r *preflight.Report, s preflight.Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}
