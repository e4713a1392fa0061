package slacktest_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// files.info (method-docs files.info.json): "Gets information about a
// file", scope files:read, "file_not_found: Value passed for `file` was
// invalid". Its file object's private URLs are the emulator's, as in
// history.
func TestFilesInfo(t *testing.T) {
	_, url, c := start(t, slacktest.Options{}, "xoxb-1", fileArchive(t))
	f, _, _, err := c.GetFileInfo("F2", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != "F2" || f.Name != "log.txt" || f.Size != 3000 || f.URLPrivate != url+"/files-pri/T0EMULATE-F2/log.txt" ||
		f.URLPrivateDownload != url+"/files-pri/T0EMULATE-F2/download/log.txt" {
		t.Errorf("files.info F2: id %s name %s size %d url_private %s url_private_download %s",
			f.ID, f.Name, f.Size, f.URLPrivate, f.URLPrivateDownload)
	}
	if _, _, _, err := c.GetFileInfo("F404", 0, 0); slackCode(err) != "file_not_found" {
		t.Errorf("files.info of an unknown file: %v", err)
	}
}

// A Slack Connect file: Slack sends messages a reduced file object, and
// the reader has to ask files.info. As a Bolt user recorded it
// (zenn.dev/straydog, "Slack Connectでファイルを扱う"), history holds
// {"id": "F…", "mode": "file_access", "file_access": "check_file_info",
// "created": 0, "timestamp": 0, "user": ""} with no URL; files.info has
// the full object. A seed marks such a file with "file_access":
// "check_file_info" in its full file object.
func TestCheckFileInfo(t *testing.T) {
	msg := newMessage(t, map[string]any{"ts": sec(0), "user": "U1", "text": "from the partner", "files": []any{
		map[string]any{"id": "F9", "name": "trace.log", "mimetype": "text/plain", "size": 64, "mode": "hosted",
			"file_access": "check_file_info", "url_private": "https://files.slack.com/files-pri/T1-F9/trace.log"}}})
	msg.Files[0].Content = []byte("partner bytes")
	a := channelArchive(t, "C1", "incident", 0)
	a.Messages = []*archive.Message{msg}
	_, url, c := start(t, slacktest.Options{}, "xoxb-1", a)

	body := postForm(t, url+"/api/conversations.history", "token=xoxb-1&channel=C1")
	want := `"files":[{"created":0,"file_access":"check_file_info","id":"F9","mode":"file_access","timestamp":0,"user":""}]`
	if !contains(body, want) {
		t.Errorf("history's file is not the reduced object %s:\n%s", want, body)
	}
	f, _, _, err := c.GetFileInfo("F9", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{f.ID, f.Name, f.Size, f.Mimetype, f.URLPrivateDownload}
	if d := cmp.Diff([]any{"F9", "trace.log", 64, "text/plain", url + "/files-pri/T0EMULATE-F9/download/trace.log"}, got); d != "" {
		t.Errorf("files.info F9 (-want +got):\n%s", d)
	}
	var buf bytes.Buffer
	if err := c.GetFile(f.URLPrivateDownload, &buf); err != nil || buf.String() != "partner bytes" {
		t.Errorf("download of F9: %q, %v", buf.String(), err)
	}
}
