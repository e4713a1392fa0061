package slackexport

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wrapup/wrapup/archive"
)

// WriteOptions tune Write.
type WriteOptions struct {
	// Tool names the program and version recorded in the manifest.
	Tool string
	// WorkspaceURL is the workspace the channel came from, recorded in
	// the manifest so that an offline render can link its messages.
	WorkspaceURL string
	// From is the export the archive was read from (Export.Read), still
	// open: its day files that hold exactly what Write would put in them
	// are copied byte for byte instead of encoded again (copy.go).
	From *Export
}

// Write writes a as a Slack export into dir, in the layout that Slack's
// exports have and slackdump and slack-export-viewer read whole:
// channels.json (groups.json for a private channel) listing the channel's
// members, users.json with the users the channel references,
// <channel>/YYYY-MM-DD.json day files by UTC day (each reply in its own
// day's file, as Slack does; thread parents list their replies as
// replies: [{user, ts}]), <channel>/attachments/<FILE_ID>-<name> for files
// whose bytes are present ([AttachmentPath]), and manifest.json with
// counts and the sha256 of every file.
//
// Messages are written as their source sent them, but for a thread
// parent's replies list (and reply_count and reply_users when it had none);
// a channel without members gets those the archive shows.
// Read(Write(a)) therefore equals a with those fields added, and writing
// what was read back gives the same bytes.
//
// The folder appears whole or not at all: it is built beside dir and renamed
// into place. Folders are 0700 and files 0600: incident channels hold
// sensitive data.
func Write(dir string, a *archive.Archive, opts WriteOptions) (*Manifest, error) {
	st, err := Stage(dir, a, opts)
	if err != nil {
		return nil, err
	}
	return st.Commit()
}

// Staged is an archive folder written whole beside its destination and
// not yet in place: Commit renames it into place, Discard removes it.
// Write is Stage and Commit; a caller staging while it does other work
// can still leave nothing behind when that work fails.
type Staged struct {
	tmp, dir string
	man      *Manifest
}

// Stage writes a as Write does, into a folder beside dir, and leaves it
// there for Commit or Discard.
func Stage(dir string, a *archive.Archive, opts WriteOptions) (*Staged, error) {
	w := &writer{from: opts.From, man: newManifest(&a.Channel, a.Counts(), opts)}
	return stage(dir, w, func() error { return w.writeAll(a) })
}

// stage runs write with w writing into a new folder beside dir.
func stage(dir string, w *writer, write func() error) (*Staged, error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return nil, err
	}
	w.root = tmp
	if err := write(); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Staged{tmp: tmp, dir: dir, man: w.man}, nil
}

func newManifest(c *archive.Channel, counts archive.Counts, opts WriteOptions) *Manifest {
	return &Manifest{
		Schema:  ManifestSchema,
		Tool:    opts.Tool,
		Channel: ManifestChannel{ID: c.ID, Name: c.Name}, WorkspaceURL: opts.WorkspaceURL,
		Counts: counts,
		Files:  map[string]string{},
	}
}

// Commit moves the staged folder to its destination, replacing what was
// there, and returns its manifest. On error the staged folder is removed.
func (s *Staged) Commit() (*Manifest, error) {
	if err := replaceDir(s.tmp, s.dir); err != nil {
		os.RemoveAll(s.tmp)
		return nil, err
	}
	return s.man, nil
}

// Discard removes the staged folder. It may be called on a nil Staged.
func (s *Staged) Discard() {
	if s != nil {
		os.RemoveAll(s.tmp)
	}
}

type writer struct {
	root string
	man  *Manifest
	from *Export
}

func (w *writer) writeAll(a *archive.Archive) error {
	folder, err := w.writeHead(&a.Channel, a.Users, func() []string { return members(a) })
	if err != nil {
		return err
	}
	days := map[string][]dayMessage{}
	for m := range a.All() {
		day := m.TS.Time().Format(time.DateOnly)
		days[day] = append(days[day], dayMessage{m})
	}
	for _, day := range slices.Sorted(maps.Keys(days)) {
		msgs := days[day]
		slices.SortFunc(msgs, func(x, y dayMessage) int { return cmp.Compare(x.TS, y.TS) })
		if w.man.First.IsZero() || msgs[0].TS < w.man.First {
			w.man.First = msgs[0].TS
		}
		w.man.Last = max(w.man.Last, msgs[len(msgs)-1].TS)
		rel := folder + "/" + day + ".json"
		if d := w.from.copySource(a, day, msgs); d != nil {
			err := w.copyDay(rel, w.from, d)
			if err == nil {
				continue
			}
			if !errors.Is(err, errChanged) {
				return err
			}
		}
		if err := w.file(rel, rawArray(msgs)); err != nil {
			return err
		}
	}
	return w.writeTail(&a.Channel, a.All())
}

// writeHead writes the channel's listing, with members (from members when
// it lists none), and users.json; it returns the channel's folder.
func (w *writer) writeHead(c *archive.Channel, users []*archive.User, members func() []string) (string, error) {
	folder := ChannelFolder(c)
	if !safeName(folder) {
		return "", fmt.Errorf("channel name %q cannot be a folder name", folder)
	}
	list := "channels.json"
	if c.Private {
		list = "groups.json"
	}
	channel := *c
	if len(channel.Members) == 0 {
		channel.Members = members()
	}
	ch, err := json.MarshalIndent([]*archive.Channel{&channel}, "", "    ")
	if err != nil {
		return "", fmt.Errorf("channel %s: %w", c.ID, err)
	}
	if err := w.file(list, ch); err != nil {
		return "", err
	}
	return folder, w.file("users.json", rawArray(users))
}

// writeTail writes the files of msgs (in archive.All() order) whose bytes
// are present, then the manifest.
func (w *writer) writeTail(c *archive.Channel, msgs iter.Seq[*archive.Message]) error {
	written := map[string]bool{}
	for m := range msgs {
		for _, f := range m.Files {
			rel := AttachmentPath(c, f)
			if f.Content == nil || written[f.ID] || rel == "" {
				continue
			}
			written[f.ID] = true
			if err := w.file(rel, f.Content); err != nil {
				return err
			}
		}
	}
	man, err := json.MarshalIndent(w.man, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(w.root, ManifestName), append(man, '\n'))
}

// file writes one file under the archive root and records its checksum.
func (w *writer) file(rel string, data []byte) error {
	full := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
		return err
	}
	if err := writeFile(full, data); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	w.man.Files[rel] = hex.EncodeToString(sum[:])
	return nil
}

func writeFile(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// dayMessage is a message as a day file holds it: a thread parent lists
// its replies.
type dayMessage struct{ *archive.Message }

// MarshalJSON is the message's JSON, a thread parent's with its replies
// listed (parentJSON).
func (m dayMessage) MarshalJSON() ([]byte, error) {
	b, err := m.Message.MarshalJSON()
	if err != nil || len(m.Replies) == 0 {
		return b, err
	}
	if out, err := parentJSON(m.Message, b); err == nil {
		return out, nil
	}
	// Raw that is not one object came from code, not a decoder: list
	// the replies on the typed fields instead.
	typed := *m.Message
	typed.Raw = nil
	b, err = typed.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return parentJSON(m.Message, b)
}

// members are the channel's members as the archive shows them, for a
// channel whose source did not list them (conversations.info does not):
// everyone who posted or joined, less those whose last word was leaving,
// sorted.
func members(a *archive.Archive) []string {
	var order []string
	in := map[string]bool{}
	seen := map[string]bool{}
	var all []*archive.Message
	for m := range a.All() {
		all = append(all, m)
	}
	slices.SortStableFunc(all, func(x, y *archive.Message) int { return cmp.Compare(x.TS, y.TS) })
	for _, m := range all {
		if m.User == "" {
			continue
		}
		switch m.Subtype {
		case "channel_leave", "group_leave":
			in[m.User] = false
			continue
		}
		in[m.User] = true
		if !seen[m.User] {
			seen[m.User] = true
			order = append(order, m.User)
		}
	}
	out := order[:0]
	for _, id := range order {
		if in[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// rawArray writes values as a JSON array in Slack's export layout, one
// element after another, each as its source sent it.
func rawArray[T json.Marshaler](items []T) []byte {
	var buf bytes.Buffer
	buf.WriteString("[")
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		b, err := it.MarshalJSON()
		if err != nil || !json.Valid(b) {
			// Raw came from a decoder, so this is unreachable for read
			// archives; for built ones, fall back to a compacted copy.
			b, _ = json.Marshal(it)
		}
		buf.Write(b)
	}
	buf.WriteString("\n]\n")
	return buf.Bytes()
}

// replaceDir moves the finished folder tmp to dir, replacing what was there.
func replaceDir(tmp, dir string) error {
	if err := os.Chmod(tmp, 0o700); err != nil {
		return err
	}
	if _, err := os.Lstat(dir); err == nil {
		old := tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			_ = os.Rename(old, dir)
			return err
		}
		return os.RemoveAll(old)
	}
	return os.Rename(tmp, dir)
}

// safeName reports whether s can be one path element under the archive.
func safeName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, `/\`+"\x00")
}

// fileName makes a Slack file name safe as one path element.
func fileName(f *archive.File) string {
	name := f.Name
	if name == "" {
		name = f.Title
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(name, ".")
	for len(name) > 120 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" {
		name = "file"
	}
	return name
}

// WriteVerified writes a into dir, then verifies the folder against the
// counts the source reported (a live export's): a manifest that says
// anything else is an error, and nothing is taken as saved.
func WriteVerified(dir string, a *archive.Archive, counts archive.Counts, opts WriteOptions) (*Manifest, error) {
	if _, err := Write(dir, a, opts); err != nil {
		return nil, fmt.Errorf("writing %s: %w", dir, err)
	}
	return Verify(dir, &counts)
}
