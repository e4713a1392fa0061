package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/term"
)

// exportReport is what export --json prints.
type exportReport struct {
	Channel     string         `json:"channel"`
	ChannelID   string         `json:"channel_id"`
	Dir         string         `json:"dir"`
	Counts      archive.Counts `json:"counts"`
	Calls       int            `json:"calls"`
	RateLimited int            `json:"rate_limited"`
	Resumed     bool           `json:"resumed"`
	Notes       []string       `json:"notes"`
}

func runExport(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	channel := fs.String("channel", "", "the channel to export, by ID or name (required)")
	cfgPath := fs.String("config", "", configHelp)
	out := fs.String("out", "", "the output folder; default output.dir of the config")
	asJSON := fs.Bool("json", false, "print one JSON document on stdout")
	lf := addLogFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := lf.apply(&e); err != nil {
		return err
	}
	if *channel == "" {
		return usagef("export: --channel is required")
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = cfg.Output.Dir
	}
	client, err := slackClient(cfg, e)
	if err != nil {
		return err
	}
	rep := slackapi.NewReporter(terminal(e.stderr), e.logger(), 10*time.Second)
	res, err := client.Export(ctx, *channel, slackapi.ExportOptions{
		Files:         cfg.Export.Files,
		MaxFileBytes:  int64(cfg.Export.MaxFileMB) << 20,
		CheckpointDir: *out,
		Progress:      rep.Update,
	})
	rep.Finish()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("%w; run the same command again to continue from the checkpoint in %s", err, *out)
		}
		return err
	}
	dir := filepath.Join(*out, incidentFolder(cfg, res.Archive), "archive")
	workspace, _ := client.WorkspaceURL(ctx) // for the manifest; permalinks need it offline
	if _, err := slackexport.WriteVerified(dir, res.Archive, res.Counts, slackexport.WriteOptions{Tool: tool(), WorkspaceURL: workspace}); err != nil {
		return err
	}
	report := exportReport{Channel: res.Archive.Channel.Name, ChannelID: res.Archive.Channel.ID, Dir: dir,
		Counts: res.Counts, Calls: res.Stats.Calls, RateLimited: res.Stats.RateLimited, Resumed: res.Resumed,
		Notes: append([]string{}, res.Notes...)}
	// What the client noticed about Slack's limits on the app: why the
	// export was slow, and the fix.
	for _, n := range client.Notes() {
		if !slices.Contains(report.Notes, n) {
			report.Notes = append(report.Notes, n)
		}
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(report)
	}
	c := res.Counts
	if _, err := fmt.Fprintf(e.stdout, "exported #%s: %d messages, %d replies, %d users, %d files (%d API calls) to %s\n",
		term.Line(report.Channel), c.Messages, c.Replies, c.Users, c.Files, report.Calls, term.Line(dir)); err != nil {
		return err
	}
	for _, n := range report.Notes {
		if _, err := fmt.Fprintf(e.stdout, "note: %s\n", term.Line(n)); err != nil {
			return err
		}
	}
	return nil
}

// incidentFolder is DESIGN's per-incident folder name, the one `run`
// gives the same channel: folder.Name, dated by the declaration the
// timeline finds (else the channel's creation).
func incidentFolder(cfg *config.Config, a *archive.Archive) string {
	tl, err := pipeline.BuildTimeline(cfg, a, "", false)
	if err != nil {
		tl = nil // the rules were checked when the config loaded; dated by the channel then
	}
	return folder.Name(a, tl)
}

// isTerminal reports whether w is a character device, where a progress
// line can be redrawn in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// terminal is w where it is a terminal, for a progress line redrawn in
// place; elsewhere nil, and progress goes to the log.
func terminal(w io.Writer) io.Writer {
	if isTerminal(w) {
		return w
	}
	return nil
}
