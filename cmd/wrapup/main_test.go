package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb, func(string) string { return "" })
	code = exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func TestCLI(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		stdout     string
		stderr     string
		jsonOutput bool
	}{
		{args: []string{"version"}, stdout: "wrapup "},
		{args: []string{"--version"}, stdout: "wrapup "},
		{args: []string{"version", "--json"}, stdout: `"version"`, jsonOutput: true},
		{args: []string{"--help"}, stdout: "Usage: wrapup <command>"},
		{args: []string{"help"}, stdout: "Exit status: 0 success"},
		{args: nil, code: 2, stderr: "no command given"},
		{args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`},
		{args: []string{"version", "--bogus"}, code: 2, stderr: "flag provided but not defined: -bogus"},
		{args: []string{"version", "extra"}, code: 2, stderr: `unexpected argument "extra"`},
		{args: []string{"version", "-h"}, code: 0, stderr: "-json"},
		{args: []string{"help", "run"}, code: 0, stderr: "-channel string"},
		{args: []string{"run", "--help"}, code: 0, stderr: "-channel string"},
		{args: []string{"help", "nope"}, code: 2, stderr: `no command "nope"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stdout %q stderr %q; want them to contain %q and %q", out, errOut, tt.stdout, tt.stderr)
			}
			if tt.jsonOutput {
				var v map[string]string
				if err := json.Unmarshal([]byte(out), &v); err != nil || v["version"] == "" {
					t.Errorf("--json printed %q: %v", out, err)
				}
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	var sink bytes.Buffer
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, 0}, {errHelp, 0}, {usagef("bad"), 2}, {errPartial, 3},
		{fmt.Errorf("sweep: %w", errPartial), 3}, {errors.New("boom"), 1},
		{interrupted{fmt.Errorf("export: %w", context.Canceled)}, 130},
	} {
		if got := exitCode(tt.err, &sink); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
