package slackexport

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
)

// The tests here read wrapup's archive the way the two tools SRE teams
// already use read a Slack export, with their rules written out again
// from their own code (quoted), not with this package's reader.

const peerChannel = "incident-peers"

// peerFiles are the bytes of the files the peer archive's messages share.
var peerFiles = map[string][]byte{
	"F0PEER0001": []byte("\x89PNG\r\n\x1a\n not really a graph"),
	"F0PEER0002": []byte("notes\x00with a NUL and \xff bytes"),
}

// peerArchive is a channel with what the peers must get right: a thread
// whose parent lists no replies, a reply from a bot with no user, a thread
// across days, a file in a reply, the same file shared twice, a file name
// that is not a safe path element, and no members in channels.json.
func peerArchive(t *testing.T) *archive.Archive {
	t.Helper()
	src := t.TempDir()
	put := func(rel, body string) {
		t.Helper()
		p := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	put("channels.json", `[{"id": "C0PEERS", "name": "`+peerChannel+`", "created": 1774533600, "is_archived": false,
		"topic": {"value": "", "creator": "", "last_set": 0}, "purpose": {"value": "", "creator": "", "last_set": 0}}]`)
	put("users.json", `[{"id": "U0ALICE", "name": "alice"}, {"id": "U0BOB", "name": "bob"}, {"id": "U0CAROL", "name": "carol"}]`)
	graph := `{"id": "F0PEER0001", "name": "p99 graph.png", "title": "p99", "mode": "hosted", "size": 30}`
	put(peerChannel+"/2026-03-26.json", `[
    {"type": "message", "user": "U0ALICE", "text": "declared", "ts": "1774533600.000100", "thread_ts": "1774533600.000100", "reply_count": 2},
    {"type": "message", "user": "U0BOB", "text": "graph", "ts": "1774533700.000200", "thread_ts": "1774533600.000100",
        "parent_user_id": "U0ALICE", "files": [`+graph+`]},
    {"type": "message", "subtype": "bot_message", "bot_id": "B0PAGER", "username": "pager", "text": "paged",
        "ts": "1774533800.000300", "thread_ts": "1774533600.000100"},
    {"type": "message", "user": "U0ALICE", "text": "both files", "ts": "1774533900.000400",
        "files": [`+graph+`, {"id": "F0PEER0002", "name": "notes: 1/2?.txt", "mode": "hosted", "size": 28}]},
    {"type": "message", "user": "U0BOB", "text": "overnight thread", "ts": "1774580000.000500", "thread_ts": "1774580000.000500", "latest_reply": "1774620000.000100"}
]`)
	put(peerChannel+"/2026-03-27.json", `[
    {"type": "message", "user": "U0ALICE", "text": "next day", "ts": "1774620000.000100", "thread_ts": "1774580000.000500", "parent_user_id": "U0BOB"},
    {"type": "message", "subtype": "channel_join", "user": "U0CAROL", "text": "<@U0CAROL> has joined the channel", "ts": "1774620100.000200"}
]`)
	a, err := ReadChannel(src, peerChannel, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for m := range a.All() {
		for _, f := range m.Files {
			f.Content = peerFiles[f.ID]
		}
	}
	return a
}

// writePeerArchive writes the peer archive as wrapup does.
func writePeerArchive(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "archive")
	if _, err := Write(dir, peerArchive(t), WriteOptions{Tool: "wrapup test"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sources are the archive as a folder and as the zip a user makes of it;
// both peers open either.
func sources(t *testing.T, dir string) map[string]fs.FS {
	t.Helper()
	zr, err := openZipFS(zipDir(t, dir, ""))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]fs.FS{"folder": os.DirFS(dir), "zip": zr}
}

func openZipFS(p string) (fs.FS, error) {
	src, err := openSource(p, Options{})
	if err != nil {
		return nil, err
	}
	return src.fsys, nil
}

// readJSON decodes one file of fsys.
func readJSON(t *testing.T, fsys fs.FS, name string, v any) {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// peerMessage is a day file's message as the peers read it.
type peerMessage struct {
	Type     string `json:"type"`
	Subtype  string `json:"subtype"`
	User     string `json:"user"`
	Text     string `json:"text"`
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts"`
	// ReplyCount is a pointer to tell absent from zero: the viewer checks
	// for the key.
	ReplyCount  *json.Number `json:"reply_count"`
	LatestReply string       `json:"latest_reply"`
	Replies     []struct {
		User string `json:"user"`
		TS   string `json:"ts"`
	} `json:"replies"`
	Files []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"files"`
}

// slackdumpStorage resolves a file to its path in an export the way
// slackdump v3 does, in rusq/slackdump source/export.go and
// source/filestorage.go:
//
//	func loadStorage(fsys fs.FS) (Storage, error) {
//		if _, err := fs.Stat(fsys, chunk.UploadsDir); err == nil {
//			return OpenMattermostStorage(fsys)
//		}
//		st, err := OpenStandardStorage(fsys)
//		...
//
//	// MattermostFilepath returns the path to the file within the __uploads directory.
//	func MattermostFilepath(_ *slack.Channel, f *slack.File) string {
//		return filepath.Join(chunk.UploadsDir, f.ID, f.Name)
//	}
//
//	// StdFilepath returns the path to the file within the "attachments" directory.
//	func StdFilepath(ci *slack.Channel, f *slack.File) string {
//		return path.Join(ExportChanName(ci), "attachments", fmt.Sprintf("%s-%s", f.ID, f.Name))
//	}
//
//	// buildStdFileIdx walks the fsys, finding all "attachments" subdirectories, and
//	// indexes files in them.
//	...
//		if !d.IsDir() || d.Name() != attachmentDir {
//			return nil
//		}
//		// read the files in the attachment directory
//		return fs.WalkDir(fsys, pth, func(pth string, d fs.DirEntry, err error) error {
//			...
//			id, _, found := strings.Cut(d.Name(), "-")
//			...
//			idx[id] = pth
//
//	func (r *STStandard) File(id string, _ string) (string, error) {
//		pth, ok := r.idx[id]
//
// and chunk.UploadsDir is "__uploads".
func slackdumpStorage(t *testing.T, fsys fs.FS) func(id, name string) (string, bool) {
	t.Helper()
	if _, err := fs.Stat(fsys, "__uploads"); err == nil {
		return func(id, name string) (string, bool) {
			p := path.Join("__uploads", id, name)
			_, err := fs.Stat(fsys, p)
			return p, err == nil
		}
	}
	idx := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() != "attachments" {
			return err
		}
		return fs.WalkDir(fsys, p, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if id, _, found := strings.Cut(d.Name(), "-"); found {
				idx[id] = p
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return func(id, _ string) (string, bool) {
		p, ok := idx[id]
		return p, ok
	}
}

// slackdumpMessages reads a channel's messages the way slackdump's export
// source does (source/export.go): the channel's folder is its name (its ID
// for a DM, ExportChanName), and only the .json files directly in it are
// day files, subfolders skipped:
//
//	func walkDir(fsys fs.FS, name string, cb func(file string) error) error {
//		err := fs.WalkDir(fsys, name, func(file string, d fs.DirEntry, err error) error {
//			...
//			if d.IsDir() && file != name {
//				return fs.SkipDir
//			}
//			if path.Ext(file) != ".json" {
//				return nil
//			}
//			return cb(file)
func slackdumpMessages(t *testing.T, fsys fs.FS, folder string) []peerMessage {
	t.Helper()
	var msgs []peerMessage
	err := fs.WalkDir(fsys, folder, func(file string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && file != folder {
			return fs.SkipDir
		}
		if path.Ext(file) != ".json" {
			return nil
		}
		var day []peerMessage
		readJSON(t, fsys, file, &day)
		msgs = append(msgs, day...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// TestSlackdumpReadsTheArchive: every file of wrapup's archive resolves,
// with its bytes, under slackdump's rules, and every reply is found in its
// thread as slackdump finds it (source/export.go, AllThreadMessages keeps
// "m.ThreadTimestamp == threadID"; internal/structures: a thread start is
// "m.ThreadTimestamp != "" && m.Timestamp == m.ThreadTimestamp &&
// !IsEmptyThread(m)", empty meaning latest_reply "0000000000.000000").
func TestSlackdumpReadsTheArchive(t *testing.T) {
	dir := writePeerArchive(t)
	for name, fsys := range sources(t, dir) {
		t.Run(name, func(t *testing.T) {
			checkSlackdump(t, fsys)
		})
	}
}

func checkSlackdump(t *testing.T, fsys fs.FS) {
	t.Helper()
	var channels []struct{ ID, Name string }
	readJSON(t, fsys, "channels.json", &channels)
	if len(channels) != 1 || channels[0].Name != peerChannel {
		t.Fatalf("channels.json = %+v", channels)
	}
	msgs := slackdumpMessages(t, fsys, channels[0].Name)
	if len(msgs) != 7 {
		t.Errorf("slackdump reads %d messages, want 7", len(msgs))
	}
	resolve := slackdumpStorage(t, fsys)
	resolved := map[string]bool{}
	for _, m := range msgs {
		for _, f := range m.Files {
			p, ok := resolve(f.ID, f.Name)
			if !ok {
				t.Errorf("message %s: file %s (%s) does not resolve", m.TS, f.ID, f.Name)
				continue
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, peerFiles[f.ID]) {
				t.Errorf("%s resolves to %s holding %q, want %q", f.ID, p, b, peerFiles[f.ID])
			}
			resolved[f.ID] = true
		}
	}
	if len(resolved) != len(peerFiles) {
		t.Errorf("resolved %v, want all of %d files", resolved, len(peerFiles))
	}
	threads := map[string][]string{}
	for _, m := range msgs {
		if m.ThreadTS != "" && m.TS == m.ThreadTS && m.LatestReply != "0000000000.000000" {
			threads[m.TS] = nil
		}
	}
	for _, m := range msgs {
		if m.ThreadTS != "" && m.ThreadTS != m.TS {
			if _, ok := threads[m.ThreadTS]; !ok {
				t.Errorf("reply %s: no thread start %s", m.TS, m.ThreadTS)
			}
			threads[m.ThreadTS] = append(threads[m.ThreadTS], m.TS)
		}
	}
	want := map[string][]string{
		"1774533600.000100": {"1774533700.000200", "1774533800.000300"},
		"1774580000.000500": {"1774620000.000100"},
	}
	for ts, replies := range want {
		if !slices.Equal(threads[ts], replies) {
			t.Errorf("thread %s: replies %v, want %v", ts, threads[ts], replies)
		}
	}
}

// TestSlackExportViewerNestsThreads reads wrapup's archive as
// slack-export-viewer does (hfaran/slack-export-viewer
// slackviewer/reader.py) and checks that every reply nests under its
// parent. Its rules:
//
//	channel_data = self._read_from_json("channels.json")
//	channel_names = [c["name"] for c in channel_data.values() if not channels or c["name"] in channels]
//	...
//	dir_path = os.path.join(self._PATH, name)
//	day_files = glob.glob(os.path.join(dir_path, "*.json"))
//	for day in sorted(day_files):
//	    day_messages = json.load(f)
//	    day_messages.sort(key=Reader._extract_time)
//
// and _build_threads, which nests a reply only when its parent lists it,
// by user and ts:
//
//	user = m._message.get('user')
//	ts = m._message.get('ts')
//	if user is None or ts is None:
//	    continue
//	k = (user, ts)
//	...
//	if 'reply_count' in message._message or 'replies' in message._message:
//	    for reply in message._message.get('replies', []):
//	        reply_list.append(reply)
//	    for item in reply_list:
//	        item_lookup_key = (item.get('user'), item.get('ts'))
//	        item_replies = user_ts_lookup.get(item_lookup_key)
//
// The nested replies are removed from the top level and inserted after
// their parent. A reply with no user (a bot_message) is never in the
// lookup, so the viewer leaves it at the top level whatever its parent
// lists; that is the viewer's rule, and the test expects it. The viewer
// also reads "members" from a conversation's entry (compile_dm_users,
// compile_mpim_users: self.__USER_DATA[m] for m in mpim["members"]), so
// channels.json must list them, each one a user of users.json.
func TestSlackExportViewerNestsThreads(t *testing.T) {
	dir := writePeerArchive(t)
	for name, fsys := range sources(t, dir) {
		t.Run(name, func(t *testing.T) {
			got, members := viewerThreads(t, fsys)
			if want := []string{"U0ALICE", "U0BOB", "U0CAROL"}; !slices.Equal(members, want) {
				t.Errorf("members = %v, want %v", members, want)
			}
			want := []string{
				"1774533600.000100 declared",
				"  1774533700.000200 graph",
				"1774533800.000300 paged", // a bot_message without user: the viewer cannot nest it
				"1774533900.000400 both files",
				"1774580000.000500 overnight thread",
				"  1774620000.000100 next day",
				"1774620100.000200 <@U0CAROL> has joined the channel",
			}
			if !slices.Equal(got, want) {
				t.Errorf("the viewer shows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// viewerThreads lays a channel out as slack-export-viewer's Reader does,
// one line per message, replies indented under their parent, and returns
// the channel's members, each checked to be a user of users.json.
func viewerThreads(t *testing.T, fsys fs.FS) (lines, members []string) {
	t.Helper()
	var channels []struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Members []string `json:"members"`
	}
	readJSON(t, fsys, "channels.json", &channels)
	var users []struct {
		ID string `json:"id"`
	}
	readJSON(t, fsys, "users.json", &users)
	known := map[string]bool{}
	for _, u := range users {
		known[u.ID] = true
	}
	if len(channels) != 1 {
		t.Fatalf("channels.json lists %d channels", len(channels))
	}
	ch := channels[0]
	for _, m := range ch.Members {
		if !known[m] {
			t.Errorf("member %s is not in users.json", m)
		}
	}
	days, err := fs.Glob(fsys, path.Join(ch.Name, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(days)
	var msgs []peerMessage
	for _, d := range days {
		var day []peerMessage
		readJSON(t, fsys, d, &day)
		sort.SliceStable(day, func(i, j int) bool { return tsFloat(day[i].TS) < tsFloat(day[j].TS) })
		msgs = append(msgs, day...)
	}
	type key struct{ user, ts string }
	lookup := map[key][]int{}
	for i, m := range msgs {
		if m.User == "" || m.TS == "" {
			continue
		}
		k := key{m.User, m.TS}
		lookup[k] = append(lookup[k], i)
	}
	nested := map[int][]int{}
	removed := map[int]bool{}
	for i, m := range msgs {
		if m.ReplyCount == nil && m.Replies == nil {
			continue
		}
		var found []int
		for _, r := range m.Replies {
			found = append(found, lookup[key{r.User, r.TS}]...)
		}
		sort.Ints(found)
		for _, j := range found {
			removed[j] = true
		}
		if len(found) > 0 {
			nested[i] = found
		}
	}
	for i, m := range msgs {
		if removed[i] {
			continue
		}
		lines = append(lines, m.TS+" "+m.Text)
		for _, j := range nested[i] {
			lines = append(lines, "  "+msgs[j].TS+" "+msgs[j].Text)
		}
	}
	return lines, ch.Members
}

func tsFloat(ts string) float64 {
	f, _ := strconv.ParseFloat(ts, 64)
	return f
}

// toSlackdumpLayout copies wrapup's archive at dir into slackdump's default
// export layout, as slackdump's own export writes it: the day files and
// listings as they are, each file at __uploads/<FILE_ID>/<name>
// (MattermostFilepath: filepath.Join(chunk.UploadsDir, f.ID, f.Name)),
// found by slackdump's rules; no attachments folders, no manifest.
func toSlackdumpLayout(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "slackdump-export")
	fsys := os.DirFS(dir)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == ManifestName || path.Base(path.Dir(p)) == "attachments" {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return writeAll(filepath.Join(out, filepath.FromSlash(p)), b)
	})
	if err != nil {
		t.Fatal(err)
	}
	resolve := slackdumpStorage(t, fsys)
	for _, m := range slackdumpMessages(t, fsys, peerChannel) {
		for _, f := range m.Files {
			p, ok := resolve(f.ID, f.Name)
			if !ok {
				t.Fatalf("%s does not resolve in wrapup's archive", f.ID)
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				t.Fatal(err)
			}
			if err := writeAll(filepath.Join(out, "__uploads", f.ID, filepath.FromSlash(f.Name)), b); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

func writeAll(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o600)
}

// TestSlackdumpRoundTrip: wrapup's archive, rewritten into slackdump's
// __uploads layout, reads back with every file's bytes, as a folder and as
// a zip, and writing it again puts them in wrapup's layout.
func TestSlackdumpRoundTrip(t *testing.T) {
	sd := toSlackdumpLayout(t, writePeerArchive(t))
	if _, err := os.Stat(filepath.Join(sd, "__uploads", "F0PEER0002", "notes: 1", "2?.txt")); err != nil {
		t.Fatalf("the slackdump layout lacks a file: %v", err)
	}
	for name, src := range map[string]string{"folder": sd, "zip": zipDir(t, sd, "")} {
		t.Run(name, func(t *testing.T) {
			a, err := ReadChannel(src, peerChannel, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkContents(t, a)
			dir := filepath.Join(t.TempDir(), "again")
			if _, err := Write(dir, a, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			checkSlackdump(t, os.DirFS(dir))
			b, err := os.ReadFile(filepath.Join(dir, peerChannel, "attachments", "F0PEER0002-notes_ 1_2_.txt"))
			if err != nil || !bytes.Equal(b, peerFiles["F0PEER0002"]) {
				t.Errorf("attachment = %q, %v", b, err)
			}
		})
	}
}

// checkContents checks that every file of a carries the bytes it was
// shared with.
func checkContents(t *testing.T, a *archive.Archive) {
	t.Helper()
	var n int
	for m := range a.All() {
		for _, f := range m.Files {
			n++
			if !bytes.Equal(f.Content, peerFiles[f.ID]) {
				t.Errorf("message %s: %s holds %q, want %q", m.TS, f.ID, f.Content, peerFiles[f.ID])
			}
		}
	}
	if n != 3 {
		t.Errorf("%d files shared, want 3", n)
	}
}

// TestReadsOlderFilesFolder: archives that wrapup wrote before issue 14 keep
// their files in files/<ID>-<name> at the top; they still read, with their
// bytes, and still verify.
func TestReadsOlderFilesFolder(t *testing.T) {
	dir := writePeerArchive(t)
	var man Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	attachments := filepath.Join(dir, peerChannel, "attachments")
	entries, err := os.ReadDir(attachments)
	if err != nil || len(entries) != 2 {
		t.Fatalf("attachments: %v, %v", entries, err)
	}
	if err := os.Mkdir(filepath.Join(dir, "files"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(attachments, e.Name()), filepath.Join(dir, "files", e.Name())); err != nil {
			t.Fatal(err)
		}
		old := peerChannel + "/attachments/" + e.Name()
		man.Files["files/"+e.Name()] = man.Files[old]
		delete(man.Files, old)
	}
	if err := os.Remove(attachments); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(man)
	if err := os.WriteFile(filepath.Join(dir, ManifestName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, a, err := VerifyRead(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkContents(t, a)
}
