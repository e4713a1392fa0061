// Package demo holds wrapup's bundled sample incident: a realistic channel
// in the chatops preset's format, used by `wrapup demo`, the emulator and
// the tests.
package demo

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackexport"
)

// Channel is the sample incident's channel name.
const Channel = "incident-2026-03-26-checkout-errors"

// History are two earlier sample incidents, in other months and of other
// severities, that `wrapup demo` wraps up before Channel so that the
// library's index has trends to show. Oldest first.
var History = []string{"incident-2026-01-14-search-timeouts", "incident-2026-02-20-login-outage"}

//go:embed all:sample all:history
var sample embed.FS

// WriteExport writes the sample as a Slack export folder under dir and
// returns its path.
func WriteExport(dir string) (string, error) {
	return writeTree("sample", filepath.Join(dir, "sample-export"))
}

// HistoryArchives reads the History channels, oldest first.
func HistoryArchives(tmp string) ([]*archive.Archive, error) {
	root, err := writeTree("history", filepath.Join(tmp, "history-export"))
	if err != nil {
		return nil, err
	}
	var out []*archive.Archive
	for _, name := range History {
		a, err := slackexport.ReadChannel(root, name, slackexport.Options{})
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// writeTree copies the embedded folder from to the folder root.
func writeTree(from, root string) (string, error) {
	err := fs.WalkDir(sample, from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o700)
		}
		b, err := sample.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o600)
	})
	if err != nil {
		return "", err
	}
	return root, nil
}

// Archive reads the sample channel, file contents included.
func Archive(tmp string) (*archive.Archive, error) {
	root, err := WriteExport(tmp)
	if err != nil {
		return nil, err
	}
	return slackexport.ReadChannel(root, Channel, slackexport.Options{})
}
