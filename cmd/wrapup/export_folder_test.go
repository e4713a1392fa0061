package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/pipeline"
)

// TestIncidentFolderIsOnePathElement: a channel name from the API or an
// export never makes `wrapup export` write outside --out.
func TestIncidentFolderIsOnePathElement(t *testing.T) {
	for _, name := range []string{"../../etc", "a/../../b", `..\..\win`, ".hidden", "", "\x1b]0;title\x07"} {
		a := &archive.Archive{Channel: archive.Channel{ID: "C1", Name: name, Created: 1774533710}}
		got := incidentFolder(config.Default(), a)
		if got != filepath.Base(got) || strings.ContainsAny(got, `/\`) || got == ".." || strings.ContainsRune(got, 0x1b) {
			t.Errorf("incidentFolder(%q) = %q: not one safe path element", name, got)
		}
	}
}

// TestReportCleansTerminalText: a channel name, title or ticket error may
// carry escape sequences (a hostile export or API); the summary printed to
// the terminal holds none.
func TestReportCleansTerminalText(t *testing.T) {
	var out strings.Builder
	res := &pipeline.Result{Channel: "incident-\x1b]0;pwned\x07x", Title: "Title \x1b[2K\rfake line", Severity: "SEV1\u009b",
		Tickets: []pipeline.Ticket{{Summary: "s\x1b[31m", Error: "refused \x1b[1A"}}, Archived: true}
	report(env{stderr: &out}, res, false, nil)
	if strings.ContainsAny(out.String(), "\x1b\x07\r\u009b") {
		t.Errorf("control characters reached the terminal: %q", out.String())
	}
	var plan strings.Builder
	cleanWriter{&plan}.Write([]byte("would file \"\x1b]0;x\x07title\"\n"))
	if strings.ContainsAny(plan.String(), "\x1b\x07") || !strings.HasSuffix(plan.String(), "\n") {
		t.Errorf("plan %q", plan.String())
	}
}
