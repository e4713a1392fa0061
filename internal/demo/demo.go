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

//go:embed all:sample
var sample embed.FS

// WriteExport writes the sample as a Slack export folder under dir and
// returns its path.
func WriteExport(dir string) (string, error) {
	root := filepath.Join(dir, "sample-export")
	err := fs.WalkDir(sample, "sample", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("sample", p)
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
