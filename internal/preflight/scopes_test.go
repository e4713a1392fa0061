package preflight_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/preflight"
)

func TestNeededScopes(t *testing.T) {
	tests := []struct {
		name string
		edit func(*config.Config)
		want []string
	}{
		{"defaults", func(*config.Config) {}, without("users:read.email")},
		{"jira", func(c *config.Config) { c.Tracker.Kind = "jira" }, without()},
		{"github", func(c *config.Config) { c.Tracker.Kind = "github" }, without("users:read.email")},
		{"no files", func(c *config.Config) { c.Export.Files = false }, without("users:read.email", "files:read")},
		{"no archiving", func(c *config.Config) { c.Close.ArchiveChannel = false },
			without("users:read.email", "channels:manage", "groups:write")},
		{"no posting", func(c *config.Config) { c.Close.PostSummary = false }, without("users:read.email", "chat:write")},
		{"announce only", func(c *config.Config) { c.Close.PostSummary, c.Close.AnnounceChannel = false, "incidents" },
			without("users:read.email")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			tt.edit(cfg)
			got := preflight.NeededScopes(cfg)
			if diff := cmp.Diff(tt.want, slices.Sorted(slices.Values(got))); diff != "" {
				t.Errorf("scopes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestScopesMatchManifest keeps the scope table and the app manifest
// users install from in step.
func TestScopesMatchManifest(t *testing.T) {
	var names []string
	for _, s := range preflight.Scopes {
		names = append(names, s.Name)
		if s.Breaks == "" {
			t.Errorf("%s: no Breaks text", s.Name)
		}
	}
	if diff := cmp.Diff(without(), slices.Sorted(slices.Values(names))); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	manifest := readManifest(t)
	for _, n := range names {
		if !strings.Contains(manifest, "- "+n+" ") && !strings.Contains(manifest, "- "+n+"\n") {
			t.Errorf("deploy/slack-app-manifest.yaml lacks %s", n)
		}
	}
}

func TestMissingScopesError(t *testing.T) {
	err := &preflight.MissingScopesError{Missing: []preflight.Missing{
		{Scope: "users:read.email", Breaks: preflight.Breaks("users:read.email")}}}
	for _, want := range []string{"users:read.email", "Jira", "reinstall"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}
