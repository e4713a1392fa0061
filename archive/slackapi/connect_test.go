package slackapi_test

import (
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slacktest"
	"github.com/wrapup/wrapup/internal/emulator"
)

// connectChannel holds one message sharing a Slack Connect file, which
// history shows reduced to its ID and "file_access": "check_file_info".
func connectChannel(tb testing.TB) *archive.Archive {
	tb.Helper()
	m := msg(tb, map[string]any{"ts": sec(0), "user": "U1", "text": "from the partner", "files": []any{
		map[string]any{"id": "F9", "name": "trace.log", "title": "trace", "mimetype": "text/plain", "size": 4096,
			"mode": "hosted", "file_access": "check_file_info",
			"url_private": "https://files.slack.com/files-pri/T1-F9/trace.log"}}})
	return channel(tb, "C0CONN", "incident-connect", m, msg(tb, map[string]any{"ts": sec(1), "user": "U2", "text": "thanks"}))
}

// A Slack Connect file is read with files.info, then downloaded: the
// archive on disk keeps its bytes and its metadata.
func TestExportCheckFileInfo(t *testing.T) {
	e := start(t, slacktest.Options{}, connectChannel(t))
	res, got := export(t, e.c, "C0CONN", slackapi.ExportOptions{Files: true})
	var f *archive.File
	for m := range got.All() {
		for _, x := range m.Files {
			f = x
			if !contains(string(m.Raw), `"name":"trace.log"`) {
				t.Errorf("the archived message keeps the reduced file object: %s", m.Raw)
			}
		}
	}
	if f == nil {
		t.Fatal("the archive lost the file")
	}
	if f.ID != "F9" || f.Name != "trace.log" || f.Size != 4096 || f.Mimetype != "text/plain" {
		t.Errorf("archived file: id %s name %q size %d mimetype %q", f.ID, f.Name, f.Size, f.Mimetype)
	}
	if want := slacktest.Placeholder("F9", 4096); string(f.Content) != string(want) {
		t.Errorf("archived file holds %d bytes, not the %d the emulator serves", len(f.Content), len(want))
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes: %v", res.Notes)
	}
	if n := e.srv.Admin().Stats().Calls["files.info"]; n != 1 {
		t.Errorf("files.info called %d times, want 1", n)
	}
}

// A Slack Connect file files.info does not show is noted, not fatal.
func TestExportCheckFileInfoNotVisible(t *testing.T) {
	e := start(t, slacktest.Options{}, connectChannel(t))
	e.faults(t, emulator.Fault{Service: "slack", Method: "files.info", Times: 1, Error: "not_visible"})
	res, got := export(t, e.c, "C0CONN", slackapi.ExportOptions{Files: true})
	for m := range got.All() {
		for _, f := range m.Files {
			if f.Content != nil {
				t.Errorf("file %s was downloaded", f.ID)
			}
		}
	}
	found := false
	for _, n := range res.Notes {
		found = found || contains(n, "F9") && contains(n, "not_visible")
	}
	if !found || len(res.Notes) != 1 {
		t.Errorf("want one note naming the file and the reason: %v", res.Notes)
	}
}

// TestDownloadWaitsOutRateLimits: a file download that meets more 429s
// than the fixed count it was once allowed (10) is not abandoned: each
// Retry-After is waited out, within the time budget Web API calls have.
func TestDownloadWaitsOutRateLimits(t *testing.T) {
	t.Parallel()
	ch := connectChannel(t)
	e := start(t, slacktest.Options{}, ch)
	e.faults(t, emulator.Fault{Service: "slack", Method: "GET", Times: 11, Status: 429, RetryAfter: 0})
	res, got := export(t, e.c, "C0CONN", slackapi.ExportOptions{Files: true})
	found := false
	for m := range got.All() {
		for _, f := range m.Files {
			found = found || len(f.Content) == 4096
		}
	}
	if !found || res.Stats.RateLimited < 11 {
		t.Errorf("file kept %v after %d 429s; want the bytes after 11", found, res.Stats.RateLimited)
	}
}
