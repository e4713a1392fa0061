package slackexport

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
)

const fixture = "testdata/export"
const incident = "incident-2026-03-26-api-latency"

func readFixture(t *testing.T) *archive.Archive {
	t.Helper()
	a, err := ReadChannel(fixture, incident, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReadFixture(t *testing.T) {
	a := readFixture(t)
	if a.Channel.ID != "C07INC0001" || a.Channel.Created != 1774533600 || a.Channel.Topic.LastSet != 1774533700 {
		t.Errorf("channel = %+v", a.Channel)
	}
	if string(a.Channel.Extra["retention_note"]) == "" {
		t.Error("unknown channel field was dropped")
	}
	if len(a.Channel.Pins) != 1 || a.Channel.Pins[0].TS != archive.MustTS("1774534000.000200") {
		t.Errorf("pins = %+v", a.Channel.Pins)
	}
	var roots []string
	for _, m := range a.Messages {
		roots = append(roots, m.TS.String())
	}
	wantRoots := []string{
		"1774000000.000100", // orphan thread: a Missing parent
		"1774533731.000100", "1774534000.000200", "1774535000.000500", "1774535100.000600",
		"1774535200.000700", "1774535300.000800", "1774535500.001000", "1774630300.000700",
	}
	if diff := cmp.Diff(wantRoots, roots); diff != "" {
		t.Errorf("top-level messages (-want +got):\n%s", diff)
	}
	byTS := map[string]*archive.Message{}
	for _, m := range a.Messages {
		byTS[m.TS.String()] = m
	}
	t.Run("threads across days, broadcast kept once in its thread", func(t *testing.T) {
		p := byTS["1774534000.000200"]
		var got []string
		for _, r := range p.Replies {
			got = append(got, r.TS.String())
		}
		want := []string{"1774534100.000300", "1774630000.000400", "1774630100.000500"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("replies (-want +got):\n%s", diff)
		}
		if !p.Replies[2].IsBroadcast() || p.ReplyCount != 2 || !p.HasThread() {
			t.Errorf("parent %+v", p)
		}
	})
	t.Run("tombstone parent", func(t *testing.T) {
		p := byTS["1774535300.000800"]
		if p.Subtype != "tombstone" || len(p.Replies) != 1 {
			t.Errorf("tombstone = %+v", p)
		}
	})
	t.Run("orphan kept under a missing parent", func(t *testing.T) {
		p := byTS["1774000000.000100"]
		if !p.Missing || len(p.Replies) != 1 || p.Replies[0].Text != "orphan: my parent is not in this export" {
			t.Errorf("orphan = %+v", p)
		}
	})
	t.Run("bots", func(t *testing.T) {
		legacy, app := byTS["1774533731.000100"], byTS["1774535000.000500"]
		if !legacy.IsBot() || legacy.BotName() != "OpsBot" {
			t.Errorf("bot_message = %+v", legacy)
		}
		if !app.IsBot() || app.BotName() != "Dispatch" || app.Subtype != "" {
			t.Errorf("app post = %+v", app)
		}
		if got := app.ContentText(); got != "*🛡️ Status Change*: Active → Stable\nby <@U07ALICE01>" {
			t.Errorf("blocks text = %q", got)
		}
		if got := byTS["1774535100.000600"].ContentText(); got != "Escalation\nPaged @backend-oncall\nPolicy: backend" {
			t.Errorf("attachments text = %q", got)
		}
	})
	t.Run("duplicate ts kept once and reported", func(t *testing.T) {
		m := byTS["1774535500.001000"]
		if len(m.Files) != 1 || m.Edited == nil {
			t.Errorf("kept the wrong copy: %+v", m)
		}
		if !strings.Contains(strings.Join(a.Warnings, "\n"), "1774535500.001000 appears more than once") {
			t.Errorf("warnings = %q", a.Warnings)
		}
	})
	t.Run("export tokens removed from file URLs", func(t *testing.T) {
		m := byTS["1774535500.001000"]
		if bytes.Contains(m.Raw, []byte("xoxe")) || strings.Contains(m.Files[0].URLPrivate, "xoxe") {
			t.Errorf("token kept: %s", m.Raw)
		}
		if !strings.HasSuffix(m.Files[0].URLPrivate, "?t=REDACTED") {
			t.Errorf("url = %q", m.Files[0].URLPrivate)
		}
	})
	t.Run("only referenced users", func(t *testing.T) {
		var ids []string
		for _, u := range a.Users {
			ids = append(ids, u.ID)
		}
		want := []string{"U07ALICE01", "U07BOB0002", "U07CAROL03"}
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("users (-want +got):\n%s", diff)
		}
		if u, _ := a.User("U07ALICE01"); u.Email() != "alice@example.com" || u.FullName() != "Alice Example" {
			t.Errorf("alice = %+v", u)
		}
	})
	if c := a.Counts(); c != (archive.Counts{Messages: 8, Replies: 5, Users: 3, Files: 1}) {
		t.Errorf("counts = %+v", c)
	}
}

func TestReadPrivateAndByID(t *testing.T) {
	a, err := ReadChannel(fixture, "G07PRIV001", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Channel.Private || !a.Channel.Archived || a.Channel.Name != "ops-private" || len(a.Messages) != 1 {
		t.Errorf("private channel = %+v, %d messages", a.Channel, len(a.Messages))
	}
	if _, err := ReadChannel(fixture, "#general", Options{}); err != nil {
		t.Errorf("a channel with no day files: %v", err)
	}
}

func TestChannelNotFound(t *testing.T) {
	_, err := ReadChannel(fixture, "incident-nope", Options{})
	if err == nil || !strings.Contains(err.Error(), "incident-2026-03-26-api-latency (C07INC0001)") ||
		!strings.Contains(err.Error(), `"incident-nope" not found`) {
		t.Errorf("err = %v", err)
	}
}

// zipDir zips a folder, optionally under a top-level folder, as users do.
func zipDir(t *testing.T, dir, top string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(top + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestZipEqualsFolder(t *testing.T) {
	want := readFixture(t)
	for _, top := range []string{"", "slack-export/"} {
		t.Run("top="+top, func(t *testing.T) {
			got, err := ReadChannel(zipDir(t, fixture, top), incident, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, archiveCmp...); diff != "" {
				t.Errorf("zip differs from folder (-folder +zip):\n%s", diff)
			}
		})
	}
}

func writeZip(t *testing.T, entries map[string]string, symlink string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if symlink != "" {
		h := &zip.FileHeader{Name: symlink}
		h.SetMode(fs.ModeSymlink | 0o777)
		w, _ := zw.CreateHeader(h)
		w.Write([]byte("/etc/passwd"))
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHostileZips(t *testing.T) {
	base := map[string]string{"channels.json": `[{"id":"C1","name":"c"}]`, "c/2026-01-01.json": `[]`}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for a, b := range base {
			m[a] = b
		}
		return m
	}
	tests := []struct {
		name    string
		zip     string
		wantErr string
	}{
		{"parent reference", writeZip(t, with("../evil.json", "[]"), ""), "parent reference refused"},
		{"nested parent reference", writeZip(t, with("c/../../evil.json", "[]"), ""), "parent reference refused"},
		{"absolute path", writeZip(t, with("/etc/evil.json", "[]"), ""), "absolute path refused"},
		{"windows path", writeZip(t, with(`c\..\evil.json`, "[]"), ""), "absolute path refused"},
		{"symlink", writeZip(t, base, "c/link.json"), "symlink refused"},
		{"not an export", writeZip(t, map[string]string{"readme.txt": "hi"}, ""), "not a Slack export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadChannel(tt.zip, "c", Options{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestSymlinkOutOfFolderRefused(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "2026-01-01.json"), []byte(`[{"ts":"1.000001","text":"secret"}]`), 0o600)
	os.WriteFile(filepath.Join(dir, "channels.json"), []byte(`[{"id":"C1","name":"c"}]`), 0o600)
	if err := os.Symlink(outside, filepath.Join(dir, "c")); err != nil {
		t.Fatal(err)
	}
	if a, err := ReadChannel(dir, "c", Options{}); err == nil {
		t.Errorf("read through a symlink out of the export: %d messages", len(a.Messages))
	}
}

func TestZipBomb(t *testing.T) {
	big := "[" + strings.Repeat(`{"ts":"1.000001","text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},`, 20000) + `{"ts":"2.000001"}]`
	z := writeZip(t, map[string]string{"channels.json": `[{"id":"C1","name":"c"}]`, "c/2026-01-01.json": big}, "")
	_, err := ReadChannel(z, "c", Options{MaxBytes: 100 << 10})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	if _, err := ReadChannel(z, "c", Options{MaxBytes: 10 << 20}); err != nil {
		t.Errorf("with a raised limit: %v", err)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, day, wantErr string
	}{
		{"syntax", `[{"ts":"1.000001"},, ]`, "c/2026-01-01.json: byte 19: malformed JSON"},
		{"bad ts", `[{"ts":"1.000001"},{"ts":"12ab"}]`, `c/2026-01-01.json: message 1 (ts 12ab)`},
		{"no ts", `[{"text":"x"}]`, "c/2026-01-01.json: message 0: no ts"},
		{"not an array", `{"ts":"1"}`, "c/2026-01-01.json"},
		{"wrong type", `[{"ts":"1.000001","reactions":"lots"}]`, "message 0 (ts 1.000001)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "channels.json"), []byte(`[{"id":"C1","name":"c"}]`), 0o600)
			os.Mkdir(filepath.Join(dir, "c"), 0o700)
			os.WriteFile(filepath.Join(dir, "c", "2026-01-01.json"), []byte(tt.day), 0o600)
			_, err := ReadChannel(dir, "c", Options{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
	t.Run("channels.json", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "channels.json"), []byte(`[{"id":"C1",}]`), 0o600)
		_, err := Open(dir, Options{})
		if err == nil || !strings.Contains(err.Error(), "channels.json: byte 13: malformed JSON") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestSplitArray(t *testing.T) {
	tests := []struct {
		in      string
		n       int
		wantErr string
	}{
		{`[]`, 0, ""},
		{" [ {\"a\":\"}\\\"{\"} , {\"b\":[{}]} ]\n", 2, ""},
		{`[{"a":1}] x`, 0, "byte 10: malformed JSON: data after the array"},
		{`[{"a":1}`, 0, "byte 8: malformed JSON: expected , or ]"},
		{`[{"a":"1}]`, 0, "unterminated message"},
		{`[1]`, 0, "message 0 is not an object"},
		{``, 0, "must be an array"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := splitArray([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != tt.n {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
}

// TestAmbiguousName: an export can hold two channels of one name (a
// public and a private one); a name then picks neither, and the error
// lists their IDs; an ID still picks one.
func TestAmbiguousName(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"channels.json":              `[{"id":"C1","name":"incident-x","created":1}]`,
		"groups.json":                `[{"id":"G1","name":"incident-x","created":1}]`,
		"users.json":                 `[]`,
		"incident-x/2026-03-26.json": `[{"type":"message","ts":"1774533710.000100","user":"U1","text":"hi"}]`,
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	e, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	_, err = e.Read("incident-x")
	if !errors.Is(err, ErrAmbiguous) || !strings.Contains(err.Error(), "C1, G1") {
		t.Errorf("Read by an ambiguous name: %v", err)
	}
	if a, err := e.Read("G1"); err != nil || a.Channel.ID != "G1" {
		t.Errorf("Read by ID: %v", err)
	}
}
