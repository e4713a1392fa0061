package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/testenv"
)

// hostileName is a channel name that retitles an xterm (OSC 0), erases
// the line (CSI 2K), returns the carriage and reverses the text after it:
// issue 12, item 6. Exports are files anyone can craft.
const hostileName = "inc\x1b]0;pwned\x07-api\x1b[2K\rforged\u202e"

// TestRenderTerminalEscapes: what render writes to the terminal holds no
// control sequence from a channel name, on success and on failure.
func TestRenderTerminalEscapes(t *testing.T) {
	src := filepath.Join(testenv.RepoRoot(t), "render", "testdata", "exports", "chatops")
	const name = "incident-2026-03-26-api-latency"
	export := filepath.Join(t.TempDir(), "export")
	if err := os.CopyFS(export, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	channels, err := os.ReadFile(filepath.Join(export, "channels.json"))
	if err != nil {
		t.Fatal(err)
	}
	escaped := strings.NewReplacer("\x1b", `\u001b`, "\x07", `\u0007`, "\r", `\r`).Replace(hostileName)
	channels = bytes.ReplaceAll(channels, []byte(`"`+name+`"`), []byte(`"`+escaped+`"`))
	if err := os.WriteFile(filepath.Join(export, "channels.json"), channels, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(export, name), filepath.Join(export, hostileName)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"rendered", []string{"--explain"}},
		{"edited document kept", nil}, // the second render into the same folder reports kept files
		{"unknown channel error", []string{"--channel", hostileName}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			var stdout, stderr bytes.Buffer
			args := append([]string{"render", "--from", export, "--out", out}, tt.args...)
			if tt.name == "edited document kept" {
				if err := run(context.Background(), args, &stdout, &stderr, func(string) string { return "" }); err != nil {
					t.Fatalf("%v\n%s", err, stderr.String())
				}
				edit(t, out)
			}
			if tt.name == "unknown channel error" {
				// a name that matches no channel, carrying the sequences
				args[len(args)-1] = "nope" + hostileName
			}
			err := run(context.Background(), args, &stdout, &stderr, func(string) string { return "" })
			exitCode(err, &stderr)
			for _, w := range []struct {
				name string
				text string
			}{{"stdout", stdout.String()}, {"stderr", stderr.String()}} {
				if i := strings.IndexFunc(w.text, func(r rune) bool {
					return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f || r == 0x202e
				}); i >= 0 {
					t.Errorf("%s holds %q at %d:\n%q", w.name, w.text[i], i, w.text)
				}
			}
			if !strings.Contains(stderr.String(), "inc-apiforged") {
				t.Errorf("stderr lost the name's text:\n%q", stderr.String())
			}
		})
	}
}

// edit changes every postmortem.md under dir, as a person would.
func edit(t *testing.T, dir string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, "*", "postmortem.md"))
	if len(matches) == 0 {
		t.Fatalf("no postmortem.md under %s", dir)
	}
	for _, p := range matches {
		if err := os.WriteFile(p, []byte("edited by hand\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
