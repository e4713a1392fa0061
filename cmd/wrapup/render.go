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
	"runtime/debug"
	"strings"

	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/term"
	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
)

// renderResult is render's --json document.
type renderResult struct {
	Dir     string         `json:"dir"`
	Channel string         `json:"channel"`
	Files   []string       `json:"files"`
	Kept    []string       `json:"kept,omitempty"` // edited documents left alone; see the .new files
	Counts  renderCounts   `json:"counts"`
	Explain *renderExplain `json:"explain,omitempty"`
}

type renderCounts struct {
	Messages    int64 `json:"messages"`
	Events      int   `json:"events"`
	ActionItems int   `json:"action_items"`
	Responders  int64 `json:"responders"`
	Redactions  int   `json:"redactions"`
}

type renderExplain struct {
	Matches    []explainMatch `json:"matches"`
	NearMisses []explainMiss  `json:"near_misses"`
}

type explainMatch struct {
	TS      string `json:"ts"`
	Rule    string `json:"rule"`
	Preset  string `json:"preset,omitempty"`
	Kind    string `json:"kind"`
	Text    string `json:"text"`
	Demoted string `json:"demoted,omitempty"`
}

type explainMiss struct {
	TS    string   `json:"ts"`
	Bot   string   `json:"bot"`
	Text  string   `json:"text"`
	Tried []string `json:"tried"`
}

func runRender(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	from := fs.String("from", "", "a Slack export (zip or folder) or a wrapup archive folder (required)")
	channel := fs.String("channel", "", "the channel's name or ID (optional when the export holds one channel)")
	cfgPath := fs.String("config", "", configHelp)
	out := fs.String("out", "", "where incident folders go (default: output.dir)")
	formats := fs.String("format", "", "comma-separated formats: md, html (default: output.formats)")
	tmplDir := fs.String("templates", "", "a folder of templates overriding the built-in ones (default: output.templates)")
	explain := fs.Bool("explain", false, "show which rule matched which message, and the near misses")
	force := fs.Bool("force", false, "overwrite documents a person has edited")
	asJSON := fs.Bool("json", false, "print one JSON document with the results on stdout")
	maxBytes := fs.Int64("max-export-bytes", slackexport.DefaultMaxBytes, "stop reading an export past this many uncompressed bytes (a guard against zip bombs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("render: --from is required")
	}
	if *maxBytes <= 0 {
		return usagef("render: --max-export-bytes must be positive")
	}
	if e.getenv("GOMEMLIMIT") == "" {
		// A channel that is not scanned a day file at a time (--explain,
		// the other cases of readChannel) is held whole, with
		// the documents; left alone, the collector lets the heap reach
		// twice that. A soft limit keeps such a render of a 100k-message
		// channel (37 MB of day files) under 185 MB of RSS for some 10%
		// more CPU; a scanned one stays well under it. GOMEMLIMIT
		// overrides it.
		debug.SetMemoryLimit(renderMemoryLimit)
	}
	cfg, err := loadConfig(e, *cfgPath)
	if err != nil {
		return err
	}
	opts, err := renderOptions(cfg, *formats, *tmplDir)
	if err != nil {
		return err
	}
	outDir := cfg.Output.Dir
	if *out != "" {
		outDir = *out
	}

	exp, ch, workspace, err := openExport(*from, *channel, *maxBytes)
	if err != nil {
		return err
	}
	defer exp.Close() // open until the archive copies its day files
	if cfg.Slack.WorkspaceURL != "" {
		workspace = cfg.Slack.WorkspaceURL // the config's word wins
	}
	opts.WorkspaceURL = workspace
	read, err := readChannel(ctx, cfg, exp, ch, workspace, *explain)
	if err != nil {
		return err
	}
	defer read.close()
	arc, tl := read.head, read.tl
	opts.Messages = read.msgs
	name := folder.Name(arc, tl)
	opts.Folder = name
	dir := filepath.Join(outDir, name)
	made := missingDirs(dir)
	// The archive is staged beside its place while the documents render
	// (both only read the channel), and moved into place once they are
	// written.
	type staged struct {
		st  *slackexport.Staged
		err error
	}
	stagec := make(chan staged, 1)
	go func() {
		st, err := read.stage(filepath.Join(dir, "archive"), slackexport.WriteOptions{Tool: tool(), WorkspaceURL: workspace})
		stagec <- staged{st, err}
	}()
	fail := func(err error) error {
		(<-stagec).st.Discard()
		for _, d := range made {
			os.Remove(d) // made for the archive: gone again, if empty
		}
		return err
	}
	doc, err := render.Render(arc, tl, opts)
	var terr *render.TemplateError
	if errors.As(err, &terr) {
		return fail(usageError{err}) // a broken override template is a config error
	}
	if err != nil {
		return fail(err)
	}
	for i, f := range doc.Files {
		if f.Stream != nil { // a long transcript: SIGINT stops it between chunks
			doc.Files[i].Stream = func(w io.Writer) error { return f.Stream(ctxWriter{ctx, w}) }
		}
	}
	written, err := folder.WriteDocuments(dir, doc.Files, *force)
	if err != nil {
		return fail(err)
	}
	redactions := doc.Redactions
	doc = nil
	st := <-stagec
	if st.err != nil {
		return fmt.Errorf("archive: %w", st.err)
	}
	if _, err := st.st.Commit(); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	for _, k := range written.Kept {
		fmt.Fprintf(e.stderr, "wrapup: %s was edited since wrapup wrote it; the new version is %s beside it (--force overwrites)\n",
			term.Line(filepath.Join(dir, k)), term.Line(newDocName(k)))
	}
	res := renderResult{Dir: dir, Channel: arc.Channel.Name, Files: append(written.Files, "archive/"), Kept: written.Kept,
		Counts: renderCounts{Messages: tl.Metrics.Messages, Events: len(tl.Events), ActionItems: len(tl.ActionItems),
			Responders: tl.Metrics.Responders, Redactions: redactions}}
	var ex *renderExplain
	if *explain {
		ex = explainOf(tl.Explain, opts.Redactor)
	}
	if *asJSON {
		res.Explain = ex
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if ex != nil {
		printExplain(e.stderr, ex)
	}
	// The channel's name comes from the export: a terminal must not act
	// on it (term.Line).
	fmt.Fprintf(e.stderr, "wrapup: rendered #%s into %s (%d messages, %d events, %d action items)\n",
		term.Line(arc.Channel.Name), term.Line(dir), res.Counts.Messages, res.Counts.Events, res.Counts.ActionItems)
	_, err = fmt.Fprintln(e.stdout, term.Line(dir))
	return err
}

// missingDirs lists dir and those of its parents that do not exist yet,
// innermost first.
func missingDirs(dir string) []string {
	var out []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); !errors.Is(err, os.ErrNotExist) {
			return out
		}
		out = append(out, d)
		if filepath.Dir(d) == d {
			return out
		}
	}
}

// renderMemoryLimit is render's soft memory limit (runtime/debug).
const renderMemoryLimit = 170 << 20

// renderOptions turns the config and flags into render's options.
func renderOptions(cfg *config.Config, formats, tmplDir string) (render.Options, error) {
	red, err := redact.New(cfg.Redact.Builtin, cfg.Redact.Patterns)
	if err != nil {
		return render.Options{}, usageError{err}
	}
	opts := pipeline.RenderOptions(cfg, red, "", tool())
	fs, err := parseFormats(formats)
	if err != nil {
		return opts, err
	}
	if fs != nil {
		opts.Formats = fs
	}
	if tmplDir != "" {
		opts.Templates = tmplDir
	}
	if opts.Templates != "" {
		if st, err := os.Stat(opts.Templates); err != nil || !st.IsDir() {
			return opts, usagef("render: templates folder %s: not a folder", opts.Templates)
		}
	}
	return opts, nil
}

// openExport opens the export or archive folder at from and finds the
// channel to render. An incident folder (holding archive/) is read
// through its archive. A wrapup archive also says which workspace it came
// from (its manifest's workspace_url), for the permalinks. The export is
// returned open, for reading the channel and copying its day files; the
// caller closes it.
func openExport(from, channel string, maxBytes int64) (_ *slackexport.Export, _, _ string, err error) {
	if _, err := os.Stat(filepath.Join(from, "channels.json")); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(from, "archive", "channels.json")); err == nil {
			from = filepath.Join(from, "archive")
		}
	}
	var workspace string
	if st, err := os.Stat(from); err == nil && st.IsDir() { // a zip is a Slack export: no manifest
		man, err := slackexport.ReadManifest(from)
		if err != nil {
			return nil, "", "", fmt.Errorf("render: %w", err)
		}
		if man != nil {
			workspace = man.WorkspaceURL
		}
	}
	exp, err := slackexport.Open(from, slackexport.Options{MaxBytes: maxBytes})
	if err != nil {
		return nil, "", "", fmt.Errorf("render: %w", err)
	}
	defer func() {
		if err != nil {
			exp.Close()
		}
	}()
	if channel == "" {
		chs := exp.Channels()
		switch len(chs) {
		case 0:
			return nil, "", "", fmt.Errorf("render: %s holds no channels", from)
		case 1:
			channel = chs[0].ID
		default:
			names := make([]string, 0, 10)
			for i, c := range chs {
				if i == 10 {
					names = append(names, "…")
					break
				}
				names = append(names, c.Name)
			}
			return nil, "", "", usagef("render: %s holds %d channels; pick one with --channel (%s)", from, len(chs), strings.Join(names, ", "))
		}
	}
	return exp, channel, workspace, nil
}

// explainOf is the timeline's trace with the message text redacted: it
// goes to a terminal or a CI log.
func explainOf(x timeline.Explain, red *redact.Redactor) *renderExplain {
	ex := &renderExplain{Matches: []explainMatch{}, NearMisses: []explainMiss{}}
	for _, m := range x.Matches {
		ex.Matches = append(ex.Matches, explainMatch{TS: m.TS.String(), Rule: m.Rule, Preset: m.Preset, Kind: m.Kind,
			Text: red.String(m.Text), Demoted: m.Demoted})
	}
	for _, n := range x.NearMisses {
		tried := n.Tried
		if tried == nil {
			tried = []string{}
		}
		ex.NearMisses = append(ex.NearMisses, explainMiss{TS: n.TS.String(), Bot: n.Bot, Text: red.String(n.Text), Tried: tried})
	}
	return ex
}

func printExplain(w io.Writer, ex *renderExplain) {
	fmt.Fprintf(w, "explain: %d rule matches, %d near misses\n", len(ex.Matches), len(ex.NearMisses))
	for _, m := range ex.Matches {
		from := "config"
		if m.Preset != "" {
			from = "preset " + m.Preset
		}
		fmt.Fprintf(w, "match  %s  %-22s (%s) %s: %q", m.TS, term.Line(m.Rule), term.Line(from), m.Kind, m.Text)
		if m.Demoted != "" {
			fmt.Fprintf(w, " [%s]", m.Demoted)
		}
		fmt.Fprintln(w)
	}
	for _, n := range ex.NearMisses {
		fmt.Fprintf(w, "miss   %s  %s: %q", n.TS, term.Line(n.Bot), n.Text)
		if len(n.Tried) > 0 {
			fmt.Fprintf(w, " (tried %s)", term.Line(strings.Join(n.Tried, ", ")))
		}
		fmt.Fprintln(w)
	}
}

// newDocName is where Write put the new version of an edited document.
func newDocName(name string) string {
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + ".new" + ext
}

// ctxWriter fails its writes once ctx is done: a streamed document stops
// where it is when the run is interrupted, and is not put in place.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
