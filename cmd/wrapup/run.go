package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/preflight"
	"github.com/wrapup/wrapup/internal/term"
)

// runOptions are `wrapup run`'s flags.
type runOptions struct {
	channel, configPath, out, tracker, formats string
	dryRun, noClose, force, json               bool
}

func runRun(ctx context.Context, e env, args []string) error {
	var o runOptions
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&o.channel, "channel", "", "the incident channel, by ID or name (required)")
	fs.StringVar(&o.configPath, "config", "", configHelp)
	fs.StringVar(&o.out, "out", "", "folder for incident folders (default: output.dir)")
	fs.StringVar(&o.tracker, "tracker", "", "none, jira or github (default: tracker.kind)")
	fs.StringVar(&o.formats, "format", "", "md,html (default: output.formats)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "fetch and print the plan; write nothing anywhere")
	fs.BoolVar(&o.noClose, "no-close", false, "do everything but archive the channel")
	fs.BoolVar(&o.force, "force", false, "close an incident whose timeline is not resolved; overwrite edited postmortems")
	fs.BoolVar(&o.json, "json", false, "print the run's summary as one JSON document on stdout")
	lf := addLogFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := lf.apply(&e); err != nil {
		return err
	}
	if o.channel == "" {
		return usagef("run: --channel is required")
	}
	cfg, err := loadConfig(e, o.configPath)
	if err != nil {
		return err
	}
	formats, err := parseFormats(o.formats)
	if err != nil {
		return err
	}
	if o.tracker != "" && o.tracker != "none" && o.tracker != "jira" && o.tracker != "github" {
		return usagef("run: --tracker must be none, jira or github, not %q", o.tracker)
	}
	opts, err := liveRun(ctx, e, cfg, o.tracker, o.dryRun)
	if err != nil {
		return err
	}
	rep := slackapi.NewReporter(terminal(e.stderr), e.logger(), 10*time.Second)
	opts.Channel, opts.OutDir, opts.Formats, opts.NoClose, opts.Force = o.channel, o.out, formats, o.noClose, o.force
	opts.Progress = rep.Update
	res, err := pipeline.Run(ctx, opts)
	rep.Finish()
	if res != nil {
		report(e, res, o.json, err)
	}
	return err
}

// loadConfig finds and reads the config (see findConfig), and says on
// stderr which file it read when --config did not name it; its errors are
// usage errors (exit 2).
func loadConfig(e env, flag string) (*config.Config, error) {
	path, found, err := findConfig(flag, e.getenv)
	if err != nil {
		return nil, usageError{err}
	}
	cfg, err := config.Load(path, e.getenv)
	if err != nil {
		return nil, usageError{err}
	}
	if found {
		fmt.Fprintf(e.stderr, "wrapup: config %s\n", path)
	}
	return cfg, nil
}

func parseFormats(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f != "md" && f != "html" {
			return nil, usagef("--format: %q is not md or html", f)
		}
		out = append(out, f)
	}
	return out, nil
}

// slackClient builds the Slack client from the config, with the token from
// the environment variable slack.token_env names. WRAPUP_RATE_SCALE speeds
// the rate limiter up to match an emulator's --rate-scale (tests, users'
// CI); against Slack it must stay unset.
func slackClient(cfg *config.Config, e env) (*slackapi.Client, error) {
	token := config.Secret(e.getenv, cfg.Slack.TokenEnv)
	if token == "" {
		return nil, usagef("no Slack token: set the environment variable %s (slack.token_env) to the app's bot token (xoxb-...)", cfg.Slack.TokenEnv)
	}
	return newSlackClient(cfg, e, token, e.logger())
}

// newSlackClient is the client every command uses once it has a token.
func newSlackClient(cfg *config.Config, e env, token string, log *slog.Logger) (*slackapi.Client, error) {
	scale := 1.0
	if v := e.getenv("WRAPUP_RATE_SCALE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 {
			return nil, usagef("WRAPUP_RATE_SCALE=%q: want a positive number", v)
		}
		scale = f
	}
	return slackapi.New(token, slackapi.Options{APIURL: cfg.Slack.APIURL, Logger: log,
		Limiter: slackapi.NewLimiter(scale)}), nil
}

// requireScopes refuses to start, before any write, when the token lacks
// a scope the run needs; a dry run only warns, since it writes nothing.
// It asks auth.test through the run's own client, which keeps the answer:
// one auth.test a run.
func requireScopes(ctx context.Context, cfg *config.Config, slack *slackapi.Client, e env, dryRun bool) error {
	id, err := slack.Self(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("slack auth.test: %w", err)
	case id.Scopes == nil:
		return fmt.Errorf("slack auth.test: the answer has no X-OAuth-Scopes header, so the token's scopes are unknown (is %s a Slack Web API?)",
			slackapi.NormalizeAPIURL(cfg.Slack.APIURL))
	}
	if miss := preflight.MissingScopes(id.Scopes, preflight.NeededScopes(cfg)); len(miss) > 0 {
		err = &preflight.MissingScopesError{Missing: miss}
	}
	if err != nil && dryRun {
		fmt.Fprintf(e.stderr, "warning: %v\n", err)
		return nil
	}
	return err
}

// report prints what a run did: one JSON document on stdout with --json,
// else a few lines on stderr.
func report(e env, res *pipeline.Result, asJSON bool, runErr error) {
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
		return
	}
	w := e.stderr
	l := term.Line // what came from Slack or a tracker must not drive the terminal
	switch {
	case res.AlreadyDone:
		fmt.Fprintf(w, "✓ #%s was already wrapped up: %s\n", l(res.Channel), l(res.Dir))
		return
	case res.DryRun && runErr == nil:
		fmt.Fprintf(w, "dry run for #%s: nothing was written; the plan is above\n", l(res.Channel))
		return
	case res.DryRun:
		return
	}
	head := res.Title
	if facts := strings.Trim(res.Severity+", "+res.Status, ", "); facts != "" {
		head += " (" + facts + ")"
	}
	fmt.Fprintf(w, "#%s: %s\n", l(res.Channel), l(strings.TrimSpace(head)))
	if res.PullRequest != "" {
		fmt.Fprintf(w, "  pull request: %s\n", l(res.PullRequest))
	}
	if res.Postmortem != "" {
		fmt.Fprintf(w, "  postmortem: %s\n", l(res.Postmortem))
	}
	for _, t := range byNumber(res.Tickets) {
		switch {
		case t.ID != "":
			fmt.Fprintf(w, "  ticket %s (%s): %s\n", l(t.ID), t.Status, l(t.URL))
		case t.Error != "":
			fmt.Fprintf(w, "  ticket for %q failed: %s\n", l(t.Summary), l(t.Error))
		}
	}
	if res.Archived {
		fmt.Fprintf(w, "  channel archived\n")
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "  note: %s\n", l(n))
	}
}

// byNumber returns tickets in the tracker's order (OPS-1, OPS-2 …), not
// the order concurrent filing finished in.
func byNumber(tickets []pipeline.Ticket) []pipeline.Ticket {
	out := slices.Clone(tickets)
	slices.SortStableFunc(out, func(a, b pipeline.Ticket) int { return cmp.Compare(ticketNumber(a.ID), ticketNumber(b.ID)) })
	return out
}

// ticketNumber orders OPS-2 before OPS-10 and owner/repo#3 before #12;
// tickets without a number go last.
func ticketNumber(id string) int {
	i := strings.LastIndexAny(id, "-#")
	n, err := strconv.Atoi(id[i+1:])
	if err != nil {
		return int(^uint(0) >> 1)
	}
	return n
}

// cleanWriter is where a dry run's plan goes: it quotes summaries and
// messages from the channel, so control sequences are taken out first.
type cleanWriter struct{ w io.Writer }

func (c cleanWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(c.w, term.Clean(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
