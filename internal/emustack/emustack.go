// Package emustack puts the Slack, Jira and GitHub emulators on one handler,
// as DESIGN "The emulator" lays them out: Slack under /api/ (and its file
// downloads), Jira under /rest/, GitHub Enterprise's layout under /api/v3/,
// and the shared admin API under /_emulator/. wrapup-emulator serves it, and
// the demo and the end-to-end tests run it in-process.
package emustack

import (
	"fmt"
	"net/http"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emulator"
	"github.com/wrapup/wrapup/trackers/githubtest"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

// Options configure the stack.
type Options struct {
	// Token, when set, is the only token every service accepts.
	Token string
	// RateLimits turns on Slack's published tiers; RateScale speeds their
	// clock up (0 means real time).
	RateLimits bool
	RateScale  float64
	// WorkspaceURL is Slack's workspace URL, for auth.test and permalinks.
	WorkspaceURL string
	// JiraUsers are the people Jira can assign, found by e-mail; a
	// world that lists jira.users replaces them.
	JiraUsers []jiratest.User
	// GitHubWriteSpacing is GitHub's least time between writes; 0 disables
	// the secondary limit.
	GitHubWriteSpacing time.Duration
	// World is the world file's setup, when one was given: its Slack part
	// sets up the Slack emulator (slack.app, slack.bot_user), its Jira and
	// GitHub parts the trackers' (projects, users, search lag, repos). A
	// part that lists projects or repos replaces the default ones.
	World *World
	// Now is the trackers' clock (Jira's search lag, GitHub's limits);
	// nil means time.Now. Tests scale it.
	Now func() time.Time
	// Slack adjusts the Slack emulator's options further, when set.
	Slack func(*slacktest.Options)
}

// Stack is the three emulators and their admin API.
type Stack struct {
	Admin  *emulator.Admin
	Slack  *slacktest.Server
	Jira   *jiratest.Server
	GitHub *githubtest.Server
	mux    *http.ServeMux
}

// New builds a stack with an empty Slack workspace.
func New(opts Options) *Stack {
	admin := emulator.New()
	so := slacktest.Options{WorkspaceURL: opts.WorkspaceURL, RateLimits: opts.RateLimits,
		RateScale: opts.RateScale, Admin: admin}
	if opts.Token != "" {
		so.Tokens = map[string]slacktest.Token{opts.Token: {}}
	}
	if w := opts.World; w != nil {
		so.Distributed = w.Slack.Distributed()
		so.BotUserID = w.Slack.BotUser
	}
	if opts.Slack != nil {
		opts.Slack(&so)
	}
	s := &Stack{
		Admin:  admin,
		Slack:  slacktest.New(so),
		Jira:   jiratest.New(jiraOptions(opts, admin)),
		GitHub: githubtest.New(githubOptions(opts, admin)),
		mux:    http.NewServeMux(),
	}
	s.mux.Handle("/rest/", s.Jira)
	s.mux.Handle("/api/v3/", s.GitHub)
	s.mux.Handle("/_emulator/", admin)
	s.mux.Handle("/", s.Slack) // /api/ methods and /files-pri/ downloads
	return s
}

// Seed adds channels to the Slack workspace.
func (s *Stack) Seed(arcs ...*archive.Archive) error {
	for _, a := range arcs {
		if err := s.Slack.AddArchive(a); err != nil {
			return fmt.Errorf("seed %s: %w", a.Channel.Name, err)
		}
	}
	return nil
}

// ServeHTTP routes to the emulators.
func (s *Stack) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }
