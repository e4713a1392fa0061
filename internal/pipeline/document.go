package pipeline

import (
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
)

// RulesError is a timeline rule of the config that does not compile: a
// config error, where the run or render stops before reading anything.
type RulesError struct{ Err error }

func (e *RulesError) Error() string { return e.Err.Error() }
func (e *RulesError) Unwrap() error { return e.Err }

// BuildTimeline builds the incident's timeline with the config's rules:
// `run` and `render` take the same path. workspaceURL, when set, replaces
// slack.workspace_url as the base of permalinks.
func BuildTimeline(cfg *config.Config, arc *archive.Archive, workspaceURL string, explain bool) (*timeline.Timeline, error) {
	rs, err := Rules(cfg, workspaceURL)
	if err != nil {
		return nil, err
	}
	return timeline.Build(arc, rs, timeline.Options{Explain: explain})
}

// Rules compiles the config's timeline rules, as BuildTimeline does, for
// a caller that builds the timeline as it reads (timeline.Stream).
func Rules(cfg *config.Config, workspaceURL string) (*timeline.Ruleset, error) {
	tc := cfg.TimelineConfig()
	if workspaceURL != "" {
		tc.WorkspaceURL = workspaceURL
	}
	rs, err := timeline.Compile(tc)
	if err != nil {
		return nil, &RulesError{err}
	}
	return rs, nil
}

// RenderOptions are render's options as the config sets them, for `run`
// and `render` alike; the caller sets Folder, and Formats and Templates
// where its flags override them.
func RenderOptions(cfg *config.Config, red *redact.Redactor, workspaceURL, tool string) render.Options {
	if workspaceURL == "" {
		workspaceURL = cfg.Slack.WorkspaceURL
	}
	return render.Options{Formats: cfg.Output.Formats, Templates: cfg.Output.Templates, Location: cfg.Location(),
		Cadence: cfg.Timeline.UpdateCadence, WorkspaceURL: workspaceURL, LinkBase: cfg.Output.LinkBase,
		TranscriptLimit: cfg.Output.TranscriptLimit, Redactor: red, Tool: tool}
}
