package wire

import (
	"fmt"
	"time"

	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/publish"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
)

// Publisher is the publisher of publish.github, or nil when its repo is
// unset. Its client is a read-only GitHub tracker's (no channel), so it
// shares the tracker's URL handling and rate-limit transport; githubSpacing,
// when positive, replaces GitHub's 1 s between writes (tests).
func Publisher(cfg *config.Config, getenv func(string) string, githubSpacing time.Duration) (*publish.Publisher, error) {
	p := cfg.Publish.GitHub
	if p.Repo == "" {
		return nil, nil
	}
	token := config.Secret(getenv, p.TokenEnv)
	if token == "" {
		return nil, fmt.Errorf("publish.github.repo is set but $%s is empty", p.TokenEnv)
	}
	t, err := ghtracker.New(ghtracker.Config{APIURL: p.APIURL, Repo: p.Repo, Token: token, WriteSpacing: githubSpacing})
	if err != nil {
		return nil, fmt.Errorf("publish.github: %w", err)
	}
	return publish.New(t.API(), p.Repo, p.Base, p.Dir, p.APIURL)
}
