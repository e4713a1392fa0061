package preflight

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wrapup/wrapup/internal/config"
)

// Scope is a Slack OAuth scope wrapup may ask for, and what breaks
// without it.
type Scope struct {
	Name   string
	Breaks string
}

// Scopes are every scope wrapup may need, in the order of
// deploy/slack-app-manifest.yaml. Which of them a config needs is
// [NeededScopes]'s business.
var Scopes = []Scope{
	{"channels:history", "public incident channels can't be exported: their messages and threads can't be read (conversations.history, conversations.replies)"},
	{"groups:history", "private incident channels can't be exported: their messages and threads can't be read (conversations.history, conversations.replies)"},
	{"channels:read", "public channels can't be found by name, looked up or listed by sweep (conversations.info, conversations.list)"},
	{"groups:read", "private channels can't be found by name, looked up or listed by sweep (conversations.info, conversations.list)"},
	{"users:read", "people can't be resolved: the postmortem, roles and assignees show raw user IDs (users.list, users.info)"},
	{"users:read.email", "Jira assignees can't be looked up by e-mail: on Jira Cloud action items stay unassigned, on Data Center only Slack handles that equal Jira user names match"},
	{"pins:read", "pinned messages are missing from the archive and the timeline (pins.list)"},
	{"bookmarks:read", "the channel's bookmarks are missing from the archive (bookmarks.list)"},
	{"chat:write", "the wrap-up message, its ticket ledger and the announcement can't be posted (chat.postMessage, chat.update)"},
	{"channels:manage", "public incident channels can't be archived at the end (conversations.archive)"},
	{"groups:write", "private incident channels can't be archived at the end (conversations.archive)"},
	{"channels:join", "wrapup can't join a public incident channel it isn't in, so it can't read it (conversations.join); private channels need an invitation anyway"},
	{"files:read", "files shared in the channel can't be downloaded into the archive"},
}

// NeededScopes returns the scopes that cfg needs, in [Scopes]' order.
// The package documentation says which setting drops which scope.
func NeededScopes(cfg *config.Config) []string {
	var out []string
	for _, s := range Scopes {
		if needed(cfg, s.Name) {
			out = append(out, s.Name)
		}
	}
	return out
}

func needed(cfg *config.Config, scope string) bool {
	switch scope {
	case "files:read":
		return cfg.Export.Files
	case "channels:manage", "groups:write":
		return cfg.Close.ArchiveChannel
	case "chat:write":
		return cfg.Close.PostSummary || cfg.Close.AnnounceChannel != ""
	case "users:read.email":
		return cfg.Tracker.Kind == "jira"
	}
	return true
}

// Breaks says what breaks without scope.
func Breaks(scope string) string {
	for _, s := range Scopes {
		if s.Name == scope {
			return s.Breaks
		}
	}
	return "wrapup needs it"
}

// Missing is a needed scope the token lacks.
type Missing struct {
	Scope  string `json:"scope"`
	Breaks string `json:"breaks"`
}

// missing compares granted with needed.
// MissingScopes lists the needed scopes not granted, with what breaks
// without each.
func MissingScopes(granted, needed []string) []Missing { return missing(granted, needed) }

func missing(granted, needed []string) []Missing {
	out := []Missing{} // [] rather than null in --json
	for _, n := range needed {
		if !slices.Contains(granted, n) {
			out = append(out, Missing{Scope: n, Breaks: Breaks(n)})
		}
	}
	return out
}

// parseScopes reads an X-OAuth-Scopes header: Slack separates the scopes
// with commas, GitHub with a comma and a space.
func parseScopes(h string) []string {
	var out []string
	for _, s := range strings.Split(h, ",") {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// ScopeFix is what to do about a missing scope.
const ScopeFix = "add the scope in the Slack app's OAuth & Permissions page (deploy/slack-app-manifest.yaml lists every scope) and reinstall the app to the workspace"

// MissingScopesError says that the token lacks scopes a run needs.
type MissingScopesError struct {
	Missing []Missing
}

func (e *MissingScopesError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the Slack token lacks %d scope(s) wrapup needs:", len(e.Missing))
	for _, m := range e.Missing {
		fmt.Fprintf(&b, " %s (%s);", m.Scope, m.Breaks)
	}
	b.WriteString(" " + ScopeFix)
	return b.String()
}
