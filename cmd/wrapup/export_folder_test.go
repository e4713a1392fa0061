package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
)

// TestIncidentFolderIsOnePathElement: a channel name from the API or an
// export never makes `wrapup export` write outside --out.
func TestIncidentFolderIsOnePathElement(t *testing.T) {
	for _, name := range []string{"../../etc", "a/../../b", `..\..\win`, ".hidden", "", "\x1b]0;title\x07"} {
		a := &archive.Archive{Channel: archive.Channel{ID: "C1", Name: name, Created: 1774533710}}
		got := incidentFolder(a)
		if got != filepath.Base(got) || strings.ContainsAny(got, `/\`) || got == ".." || strings.ContainsRune(got, 0x1b) {
			t.Errorf("incidentFolder(%q) = %q: not one safe path element", name, got)
		}
	}
}
