package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/archivetest"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/internal/testenv"
)

// renderTree runs render --from from into a new folder, scanning or
// reading whole, and returns every file it wrote, by path, and the
// --json result without its dir.
func renderTree(t *testing.T, scan bool, args ...string) (map[string][]byte, renderResult) {
	t.Helper()
	renderScans = scan
	defer func() { renderScans = true }()
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args = append([]string{"render", "--out", out, "--json"}, args...)
	if err := run(context.Background(), args, &stdout, &stderr, func(string) string { return "" }); err != nil {
		t.Fatalf("render %v (scan %v): %v\n%s", args, scan, err, stderr.String())
	}
	var res renderResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	res.Dir = filepath.Base(res.Dir)
	files := map[string][]byte{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		files[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, res
}

// sameTrees compares two renders file by file.
func sameTrees(t *testing.T, scanned, whole map[string][]byte) {
	t.Helper()
	if len(whole) < 5 {
		t.Fatalf("the render wrote %d files", len(whole))
	}
	for _, p := range slices.Sorted(mapsKeys(whole)) {
		if got, ok := scanned[p]; !ok {
			t.Errorf("%s: written reading whole, not scanning", p)
		} else if !bytes.Equal(got, whole[p]) {
			t.Errorf("%s: scanning wrote %d bytes that differ from the %d reading whole wrote", p, len(got), len(whole[p]))
		}
	}
	for p := range scanned {
		if _, ok := whole[p]; !ok {
			t.Errorf("%s: written scanning, not reading whole", p)
		}
	}
}

func mapsKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// scans reports how readChannel takes the channel of the export folder:
// nil when it scans it, else why it reads it whole.
func scans(t *testing.T, from, channel string) error {
	t.Helper()
	exp, err := slackexport.Open(from, slackexport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Close()
	if channel == "" {
		channel = exp.Channels()[0].ID
	}
	rs, err := pipeline.Rules(config.Default(), "")
	if err != nil {
		t.Fatal(err)
	}
	read, err := scanChannel(context.Background(), exp, channel, rs)
	if read != nil {
		if cerr := read.close(); cerr != nil {
			t.Error(cerr)
		}
	}
	return err
}

// leftIndexes are the scan index files left in the temporary folder.
func leftIndexes(t *testing.T) []string {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(os.TempDir(), "wrapup-scan-*"))
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// TestRenderScanIsRead: render --from a folder, which scans the channel a
// day file at a time and never holds it, writes byte for byte what
// reading it whole writes (the documents, transcript.html, timeline.json,
// the archive and its manifest) and reports the same: on the fixture
// exports, a generated channel with transcript.html (as a folder and as
// a zip), a Slack export, an incident folder rendered again, and channels the scan hands back to the
// whole read (a day file out of order; a stranger in users.json whose
// handle a message names; one who cannot be read at all). The scan's
// index, a temporary file, is gone after each.
func TestRenderScanIsRead(t *testing.T) {
	root := testenv.RepoRoot(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", t.TempDir()) // where the scan's index goes, and must not stay

	generated := filepath.Join(tmp, "generated")
	gen := archivetest.Generate(archivetest.Options{Messages: 6000, Threads: 200, Replies: 1500, FileEvery: 50})
	if _, err := slackexport.Write(generated, gen, slackexport.WriteOptions{Tool: "test", WorkspaceURL: "https://acme.slack.com"}); err != nil {
		t.Fatal(err)
	}

	// The same, zipped as Slack hands exports over, in a top folder.
	zipped := filepath.Join(tmp, "generated.zip")
	if err := archivetest.ZipDir(generated, zipped, "Acme Slack export/"); err != nil {
		t.Fatal(err)
	}

	// The same channel as Slack's older exports have it: parents that
	// neither count nor list their replies.
	bare := filepath.Join(tmp, "bare")
	copyTree(t, generated, bare)
	bareDays, _ := filepath.Glob(filepath.Join(bare, "*", "*.json"))
	for _, d := range bareDays {
		stripReplies(t, d)
	}

	// A day file whose messages are not in ts order.
	unordered := filepath.Join(tmp, "unordered")
	copyTree(t, filepath.Join(root, "render", "testdata", "exports", "chatops"), unordered)
	days, _ := filepath.Glob(filepath.Join(unordered, "*", "*.json"))
	reverseDay(t, days[0])

	// A stranger in users.json whose handle a message names as an owner.
	stranger := filepath.Join(tmp, "stranger")
	arc := &archive.Archive{Channel: archive.Channel{ID: "C0STRANGE", Name: "incident-2026-03-26-stranger", Created: 1774533600},
		Users: []*archive.User{{ID: "U01ALICE", Name: "alice"}, {ID: "U03CAROL", Name: "carol", Profile: archive.UserProfile{DisplayName: "carol.w"}}}}
	arc.Messages, _ = archive.Thread([]*archive.Message{
		{TS: archive.MustTS("1774533600.000100"), Type: "message", User: "U03CAROL", Text: "on it"},
		{TS: archive.MustTS("1774533660.000100"), Type: "message", User: "U01ALICE", Text: "AI: add an alert on queue lag @carol.w"},
	})
	if _, err := slackexport.Write(stranger, arc, slackexport.WriteOptions{Tool: "test"}); err != nil {
		t.Fatal(err)
	}
	users, err := os.ReadFile(filepath.Join(stranger, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	users = bytes.Replace(users, []byte("["), []byte(`[{"id":"U0ZZ09","name":"carol.w"},`), 1)
	if err := os.WriteFile(filepath.Join(stranger, "users.json"), users, 0o600); err != nil {
		t.Fatal(err)
	}

	// A user in users.json that cannot be decoded, whom the channel does
	// not reference: reading the channel whole never decodes them.
	broken := filepath.Join(tmp, "broken")
	copyTree(t, filepath.Join(root, "render", "testdata", "exports", "chatops"), broken)
	users, err = os.ReadFile(filepath.Join(broken, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	users = bytes.Replace(users, []byte("["), []byte(`[{"id":"U0BROKEN","name":123},`), 1)
	if err := os.WriteFile(filepath.Join(broken, "users.json"), users, 0o600); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, from, channel string
		fallback            error // why the scan hands the channel back, nil when it scans
	}{
		{"chatops", filepath.Join(root, "render", "testdata", "exports", "chatops"), "", nil},
		{"dispatch", filepath.Join(root, "render", "testdata", "exports", "dispatch"), "", nil},
		{"nobot", filepath.Join(root, "render", "testdata", "exports", "nobot"), "", nil},
		{"generated", generated, "", nil},
		{"generated, zipped", zipped, "", nil},
		{"parents without replies", bare, "", nil},
		{"slack export", filepath.Join(testenv.Conformance(t), "export-legacy-2016_slack-export-viewer", "testarchive"), "C0JGLMMNX", nil},
		{"unordered", unordered, "", slackexport.ErrUnordered},
		{"stranger", stranger, "", errOtherUsers},
		{"unreadable stranger", broken, "", errAllUsers},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := scans(t, c.from, c.channel); !errors.Is(err, c.fallback) || (c.fallback == nil) != (err == nil) {
				t.Fatalf("scanning gave %v, want %v", err, c.fallback)
			}
			args := []string{"--from", c.from}
			if c.channel != "" {
				args = append(args, "--channel", c.channel)
			}
			scanned, sres := renderTree(t, true, args...)
			whole, wres := renderTree(t, false, args...)
			sameTrees(t, scanned, whole)
			if left := leftIndexes(t); len(left) > 0 {
				t.Errorf("render left its scan index behind: %v", left)
			}
			sj, _ := json.Marshal(sres)
			wj, _ := json.Marshal(wres)
			if !bytes.Equal(sj, wj) {
				t.Errorf("--json: scanning %s, reading whole %s", sj, wj)
			}
			if c.name == "generated" {
				if _, ok := whole[filepath.Join(wres.Dir, "transcript.html")]; !ok {
					t.Error("the generated channel has no transcript.html")
				}
				// The incident folder, rendered again from its archive.
				again := filepath.Join(t.TempDir(), wres.Dir)
				for p, b := range whole {
					full := filepath.Join(filepath.Dir(again), p)
					if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(full, b, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				s2, _ := renderTree(t, true, "--from", again)
				w2, _ := renderTree(t, false, "--from", again)
				sameTrees(t, s2, w2)
			}
		})
	}
}

// copyTree copies the folder from to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// reverseDay rewrites a day file with its messages in reverse order.
func reverseDay(t *testing.T, p string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []json.RawMessage
	if err := json.Unmarshal(b, &msgs); err != nil {
		t.Fatal(err)
	}
	if len(msgs) < 2 {
		t.Fatalf("%s has %d messages: too few to reverse", p, len(msgs))
	}
	slices.Reverse(msgs)
	out, err := json.Marshal(msgs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(p, ".json") {
		t.Fatal(p)
	}
}

// stripReplies rewrites a day file without the fields by which thread
// parents count and list their replies.
func stripReplies(t *testing.T, p string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []map[string]json.RawMessage
	if err := json.Unmarshal(b, &msgs); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		for _, k := range []string{"reply_count", "replies", "reply_users", "reply_users_count", "latest_reply"} {
			delete(m, k)
		}
	}
	out, err := json.Marshal(msgs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// countdown is a context that reports itself canceled after n calls of
// Err: an interrupt that comes at a chosen point of a render.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestRenderInterrupted: SIGINT (the run's context done) stops render
// while it scans the channel and while it writes transcript.html. The
// error says so (exit 130), nothing half-written is left in the incident
// folder and the scan's index is gone.
func TestRenderInterrupted(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	export := filepath.Join(t.TempDir(), "export")
	gen := archivetest.Generate(archivetest.Options{Messages: 6000, Threads: 200, Replies: 1500})
	if _, err := slackexport.Write(export, gen, slackexport.WriteOptions{Tool: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		calls int64 // Err calls before the interrupt
	}{
		{"while scanning", 100},
		{"while writing the transcript", 6000 + 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := &countdown{Context: context.Background()}
			ctx.n.Store(c.calls)
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			err := run(ctx, []string{"render", "--from", export, "--out", out}, &stdout, &stderr, func(string) string { return "" })
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("render gave %v, want it interrupted", err)
			}
			var left []string
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && (strings.Contains(d.Name(), ".tmp-") || d.Name() == "transcript.html") {
					left = append(left, p)
				}
				return err
			})
			if len(left) > 0 {
				t.Errorf("left in the incident folder: %v", left)
			}
			if idx := leftIndexes(t); len(idx) > 0 {
				t.Errorf("left the scan index: %v", idx)
			}
		})
	}
}
