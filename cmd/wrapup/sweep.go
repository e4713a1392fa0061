package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/term"
)

func runSweep(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	configPath := fs.String("config", "", configHelp)
	out := fs.String("out", "", "folder for incident folders (default: output.dir)")
	dryRun := fs.Bool("dry-run", false, "decide and plan; write nothing anywhere")
	asJSON := fs.Bool("json", false, "print one JSON array of the channels and what happened on stdout")
	concurrency := fs.Int("concurrency", 2, "channels wrapped up at once (they share one rate limiter)")
	maxRuns := fs.Int("max", 0, "wrap up at most this many channels (0: no limit)")
	lf := addLogFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := lf.apply(&e); err != nil {
		return err
	}
	if *concurrency < 1 || *maxRuns < 0 {
		return usagef("sweep: --concurrency must be at least 1 and --max not negative")
	}
	cfg, err := loadConfig(e, *configPath)
	if err != nil {
		return err
	}
	run, err := liveRun(ctx, e, cfg, "", *dryRun)
	if err != nil {
		return err
	}
	// Channels run side by side: progress as log lines, never one
	// terminal line redrawn by several exports.
	run.OutDir, run.Progress = *out, slackapi.NewReporter(nil, e.logger(), 10*time.Second).Update
	items, err := pipeline.Sweep(ctx, pipeline.SweepOptions{Run: run, Concurrency: *concurrency, Max: *maxRuns})
	if items != nil {
		if *asJSON {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			if jerr := enc.Encode(items); jerr != nil {
				return jerr
			}
		} else {
			tw := tabwriter.NewWriter(e.stderr, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CHANNEL\tDECISION\tDETAIL")
			for _, it := range items {
				detail := it.Reason
				switch {
				case it.Error != "":
					detail = it.Error
				case it.Result != nil && it.Result.Postmortem != "":
					detail = it.Result.Postmortem
				}
				fmt.Fprintf(tw, "#%s\t%s\t%s\n", term.Line(it.Channel), it.Decision, term.Line(detail))
			}
			tw.Flush()
		}
	}
	if errors.Is(err, pipeline.ErrSomeFailed) {
		return errPartial
	}
	return err
}
