package slackexport

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wrapup/wrapup/archive"
)

// ManifestName is the manifest's file name inside an archive folder.
const ManifestName = "manifest.json"

// ManifestSchema identifies the manifest format.
const ManifestSchema = "wrapup.manifest/v1"

// Manifest describes an archive folder: what it holds and the checksum of
// every file, so that it can be verified before the channel is archived.
type Manifest struct {
	Schema string `json:"schema"`
	Tool   string `json:"tool,omitempty"`
	// WorkspaceURL is the workspace the channel was exported from
	// ("https://acme.slack.com/"), the base of its messages' permalinks.
	WorkspaceURL string          `json:"workspace_url,omitempty"`
	Channel      ManifestChannel `json:"channel"`
	First        archive.TS      `json:"first_ts"`
	Last         archive.TS      `json:"last_ts"`
	Counts       archive.Counts  `json:"counts"`
	// Files maps each file's slash-separated path to its sha256, in hex.
	Files map[string]string `json:"files"`
}

// ManifestChannel names the archived channel.
type ManifestChannel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Verify checks an archive folder against its manifest: every listed file
// is there with its checksum, no file is unlisted, and the messages, replies,
// users and files read back match the manifest's counts. want, when not nil,
// are the counts the caller fetched, which the manifest must equal.
func Verify(dir string, want *archive.Counts) (*Manifest, error) {
	man, _, err := VerifyRead(dir, want)
	return man, err
}

// VerifyRead is Verify that also returns the archive it read back, for a
// caller about to read it anyway.
func VerifyRead(dir string, want *archive.Counts) (*Manifest, *archive.Archive, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, nil, fmt.Errorf("verify %s: %w", dir, err)
	}
	var man Manifest
	if err := json.Unmarshal(data, &man); err != nil {
		return nil, nil, fmt.Errorf("verify %s: %w", filepath.Join(dir, ManifestName), err)
	}
	if man.Schema != ManifestSchema {
		return nil, nil, fmt.Errorf("verify %s: unknown manifest schema %q", dir, man.Schema)
	}
	if want != nil && *want != man.Counts {
		return nil, nil, fmt.Errorf("verify %s: manifest counts %+v, fetched %+v", dir, man.Counts, *want)
	}
	var problems []string
	seen := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == ManifestName {
			return nil
		}
		seen[rel] = true
		sum, listed := man.Files[rel]
		if !listed {
			problems = append(problems, rel+": not in the manifest")
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		if hex.EncodeToString(h[:]) != sum {
			problems = append(problems, rel+": checksum mismatch")
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("verify %s: %w", dir, err)
	}
	for rel := range man.Files {
		if !seen[rel] {
			problems = append(problems, rel+": missing")
		}
	}
	var a *archive.Archive
	if len(problems) == 0 {
		a, err = ReadChannel(dir, man.Channel.ID, Options{})
		if err != nil {
			return nil, nil, fmt.Errorf("verify %s: %w", dir, err)
		}
		if got := a.Counts(); got != man.Counts {
			problems = append(problems, fmt.Sprintf("read back %+v, manifest says %+v", got, man.Counts))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, nil, fmt.Errorf("verify %s: %s", dir, strings.Join(problems, "; "))
	}
	return &man, a, nil
}

// ReadManifest reads the manifest of the archive in dir (a folder that
// wrapup wrote); a folder without one (a Slack export) gives nil.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestName), err)
	}
	return &m, nil
}
