package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/internal/testenv"
)

// TestRenderExitCodes checks the exit status DESIGN gives each failure.
func TestRenderExitCodes(t *testing.T) {
	root := testenv.RepoRoot(t)
	export := filepath.Join(root, "render", "testdata", "exports", "chatops")
	tmp := t.TempDir()
	badTmpl := filepath.Join(tmp, "tmpl")
	if err := os.Mkdir(badTmpl, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(badTmpl, "postmortem.md.tmpl"), []byte("{{if}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A private channel named as the export's public one.
	twice := filepath.Join(tmp, "twice")
	copyTree(t, export, twice)
	chs, err := os.ReadFile(filepath.Join(export, "channels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var listed []map[string]any
	if err := json.Unmarshal(chs, &listed); err != nil || len(listed) != 1 {
		t.Fatalf("channels.json: %v", err)
	}
	listed[0]["id"] = "G0PRIVATE1"
	groups, _ := json.Marshal(listed)
	if err := os.WriteFile(filepath.Join(twice, "groups.json"), groups, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"ok", []string{"--from", export, "--out", filepath.Join(tmp, "ok")}, exitOK},
		{"no from", []string{"--out", tmp}, exitUsage},
		{"stray argument", []string{"--from", export, "extra"}, exitUsage},
		{"bad format", []string{"--from", export, "--format", "md,pdf"}, exitUsage},
		{"missing config", []string{"--from", export, "--config", filepath.Join(tmp, "none.yaml")}, exitUsage},
		{"broken template", []string{"--from", export, "--out", tmp, "--templates", badTmpl}, exitUsage},
		{"unknown channel", []string{"--from", export, "--channel", "nope", "--out", tmp}, exitFailure},
		{"ambiguous channel", []string{"--from", twice, "--channel", listed[0]["name"].(string), "--out", tmp}, exitUsage},
		{"ambiguous channel, --explain", []string{"--from", twice, "--channel", listed[0]["name"].(string), "--explain", "--out", tmp}, exitUsage},
		{"missing export", []string{"--from", filepath.Join(tmp, "nowhere"), "--out", tmp}, exitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"render"}, tt.args...), &stdout, &stderr, func(string) string { return "" })
			if got := exitCode(err, &stderr); got != tt.want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tt.want, stderr.String())
			}
		})
	}
}

// TestRenderJSONIsOneDocument: --json prints exactly one JSON document.
func TestRenderJSONIsOneDocument(t *testing.T) {
	export := filepath.Join(testenv.RepoRoot(t), "render", "testdata", "exports", "chatops")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"render", "--from", export, "--out", t.TempDir(), "--json", "--explain"},
		&stdout, &stderr, func(string) string { return "" })
	if err != nil {
		t.Fatalf("%v; stderr:\n%s", err, stderr.String())
	}
	dec := json.NewDecoder(&stdout)
	var res renderResult
	if err := dec.Decode(&res); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one JSON document on stdout")
	}
	if res.Explain == nil || len(res.Explain.Matches) == 0 || res.Counts.Messages == 0 {
		t.Errorf("result lacks the explain trace or counts: %+v", res)
	}
}

// TestRenderZip reads a zipped export, wrapped in a folder as people zip them.
func TestRenderZip(t *testing.T) {
	export := filepath.Join(testenv.RepoRoot(t), "render", "testdata", "exports", "nobot")
	zip := filepath.Join(t.TempDir(), "export.zip")
	if err := archivetest.ZipDir(export, zip, "My Workspace Slack export/"); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"render", "--from", zip, "--out", out}, &stdout, &stderr,
		func(string) string { return "" }); err != nil {
		t.Fatalf("%v; stderr:\n%s", err, stderr.String())
	}
	for _, f := range []string{"postmortem.md", "postmortem.html", "timeline.json", "archive/manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, "2026-04-02-inc-cache-stampede", f)); err != nil {
			t.Error(err)
		}
	}
}
