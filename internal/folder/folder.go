// Package folder owns the incident folder's name and the documents
// written into it: DESIGN "Output", <out>/<YYYY-MM-DD>-<channel>/. render
// only renders; what reaches the disk goes through here.
package folder

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/atomicfile"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
)

// StateFile records the sha256 of each document wrapup last wrote in an
// incident folder, so a rerun can tell a human's edit from its own output.
const StateFile = ".wrapup-render.json"

// protected are the documents people edit; a rerun does not overwrite
// them once edited. timeline.json is machine output and always replaced.
var protected = []string{render.MarkdownFile, render.HTMLFile, render.TranscriptFile}

// state is StateFile's content.
type state struct {
	Schema string            `json:"schema"`
	Files  map[string]string `json:"files"` // file name -> sha256 of what wrapup wrote
}

const stateSchema = "wrapup.render-state/v1"

// Written says what WriteDocuments did.
type Written struct {
	Files []string // names written, in the order given
	// Kept are the documents a person edited since wrapup wrote them: the
	// new version went beside each, as Files' "postmortem.new.md".
	Kept []string
}

// WriteDocuments writes files into dir atomically (a temporary file renamed into
// place), creating dir 0700 with files 0600. A document that differs from
// what wrapup last wrote there was edited by a person: unless force, the
// new version is written as name.new.ext beside it and the edited file is
// listed in Kept.
func WriteDocuments(dir string, files []render.OutFile, force bool) (*Written, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	st, err := readState(dir)
	if err != nil {
		return nil, err
	}
	w := &Written{}
	for _, f := range files {
		name := f.Name
		if name != filepath.Base(name) || name == "" || name[0] == '.' {
			return nil, fmt.Errorf("bad document name %q", name)
		}
		tmp, sum, err := writeTemp(filepath.Join(dir, name), f)
		if err != nil {
			return nil, err
		}
		if !force && slices.Contains(protected, name) {
			edited, err := isEdited(filepath.Join(dir, name), st.Files[name], sum)
			if err != nil {
				tmp.Discard()
				return nil, err
			}
			if edited {
				w.Kept = append(w.Kept, name)
				name = newName(name)
			}
		}
		if err := tmp.Commit(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
		if name == f.Name {
			st.Files[name] = sum
		}
		w.Files = append(w.Files, name)
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, StateFile), append(b, '\n'), 0o600); err != nil {
		return nil, err
	}
	return w, nil
}

// writeTemp writes f beside p, streaming it when it streams, and returns
// it uncommitted with its sha256: only once it is written is it known
// whether p was edited, and so where the new version goes.
func writeTemp(p string, f render.OutFile) (*atomicfile.Temp, string, error) {
	tmp, err := atomicfile.Create(p, 0o600)
	if err != nil {
		return nil, "", err
	}
	h := sha256.New()
	if f.Stream == nil {
		h.Write(f.Data)
		_, err = tmp.Write(f.Data)
	} else {
		out := &firstError{w: io.MultiWriter(tmp, h)}
		bw := bufio.NewWriterSize(out, 256<<10)
		if err = f.Stream(bw); err == nil {
			err = bw.Flush()
		}
		if err != nil && out.err == nil {
			err = fmt.Errorf("render %s: %w", p, err) // not the disk's error, which names the file
		}
	}
	if err != nil {
		tmp.Discard()
		return nil, "", err
	}
	return tmp, hex.EncodeToString(h.Sum(nil)), nil
}

// firstError is a writer that keeps its first error.
type firstError struct {
	w   io.Writer
	err error
}

func (f *firstError) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err != nil && f.err == nil {
		f.err = err
	}
	return n, err
}

// isEdited reports whether the file at p differs both from what wrapup
// last wrote (recorded) and from what it is about to write. A file with no
// record counts as edited unless it already holds the new bytes: better a
// spare .new file than a lost edit.
func isEdited(p, recorded, next string) (bool, error) {
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	cur := sha(b)
	return cur != recorded && cur != next, nil
}

// newName is "postmortem.new.md" for "postmortem.md".
func newName(name string) string {
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + ".new" + ext
}

func readState(dir string) (*state, error) {
	st := &state{Schema: stateSchema, Files: map[string]string{}}
	p := filepath.Join(dir, StateFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("%s: %w (delete it to start over)", p, err)
	}
	if st.Files == nil {
		st.Files = map[string]string{}
	}
	st.Schema = stateSchema
	return st, nil
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Name is the incident folder's name, DESIGN's <YYYY-MM-DD>-<channel>:
// the UTC date of the declaration (or of the channel's creation, when the
// channel has no messages) and the channel name made safe as a file name.
func Name(arc *archive.Archive, tl *timeline.Timeline) string {
	date := "undated"
	switch {
	case tl != nil && tl.Incident.DeclaredAt != nil:
		date = tl.Incident.DeclaredAt.UTC().Format(time.DateOnly)
	case arc.Channel.Created > 0:
		date = time.Unix(int64(arc.Channel.Created), 0).UTC().Format(time.DateOnly)
	}
	name := arc.Channel.Name
	if name == "" {
		name = arc.Channel.ID
	}
	return date + "-" + SafeName(name)
}

// SafeName makes s one safe path element: it keeps letters, digits, "-",
// "_" and "."; anything else, a path separator included, becomes "-". It
// never starts with a dot, and is at most 120 bytes. Every path element
// that comes from Slack (a channel's name) passes through it.
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if len(out) > 120 {
		out = out[:120]
	}
	if out == "" {
		return "channel"
	}
	return out
}
