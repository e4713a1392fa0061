package slacktest_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// fileArchive holds one message sharing a file whose bytes the source
// kept, and one sharing a file known only by its size.
func fileArchive(t *testing.T) *archive.Archive {
	t.Helper()
	kept := newMessage(t, map[string]any{"ts": sec(0), "user": "U1", "subtype": "file_share", "files": []any{
		map[string]any{"id": "F1", "name": "graph one.png", "mimetype": "image/png", "size": 5,
			"url_private": "https://files.slack.com/files-pri/T1-F1/graph_one.png"}}})
	kept.Files[0].Content = []byte("bytes")
	sized := newMessage(t, map[string]any{"ts": sec(1), "user": "U1", "files": []any{
		map[string]any{"id": "F2", "name": "log.txt", "size": 3000, "mode": "hosted"},
		map[string]any{"id": "F3", "name": "ext", "mode": "external", "is_external": true, "url_private": "https://example.com/x"}}})
	a := channelArchive(t, "C1", "incident", 0)
	a.Messages = []*archive.Message{kept, sized}
	return a
}

func TestFiles(t *testing.T) {
	_, url, c := start(t, slacktest.Options{}, "xoxb-1", fileArchive(t))
	resp, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]slack.File{}
	for _, m := range resp.Messages {
		for _, f := range m.Files {
			files[f.ID] = f
		}
	}
	for _, tc := range []struct {
		id, path string
		want     []byte
	}{
		{"F1", "/files-pri/T0EMULATE-F1/graph%20one.png", []byte("bytes")},
		{"F2", "/files-pri/T0EMULATE-F2/log.txt", slacktest.Placeholder("F2", 3000)},
	} {
		t.Run(tc.id, func(t *testing.T) {
			f := files[tc.id]
			if f.URLPrivate != url+tc.path {
				t.Errorf("url_private %q, want %q", f.URLPrivate, url+tc.path)
			}
			if !strings.HasPrefix(f.URLPrivateDownload, url+"/files-pri/") {
				t.Errorf("url_private_download %q is not the emulator's", f.URLPrivateDownload)
			}
			for _, u := range []string{f.URLPrivate, f.URLPrivateDownload} {
				var buf bytes.Buffer
				if err := c.GetFile(u, &buf); err != nil {
					t.Fatalf("download %s: %v", u, err)
				}
				if !bytes.Equal(buf.Bytes(), tc.want) {
					t.Errorf("download %s: %d bytes, not the file's %d", u, buf.Len(), len(tc.want))
				}
			}
		})
	}
	if f := files["F3"]; f.URLPrivate != "https://example.com/x" {
		t.Errorf("an external file's url_private became %q", f.URLPrivate)
	}
	t.Run("without a token", func(t *testing.T) {
		var buf bytes.Buffer
		err := slack.New("", slack.OptionAPIURL(url+"/api/")).GetFile(files["F1"].URLPrivate, &buf)
		if err == nil || !strings.Contains(err.Error(), "sign-in") {
			t.Errorf("download without a token: %v", err)
		}
	})
	if !bytes.Equal(slacktest.Placeholder("F2", 100), slacktest.Placeholder("F2", 100)) ||
		bytes.Equal(slacktest.Placeholder("F2", 100), slacktest.Placeholder("F3", 100)) {
		t.Error("placeholder bytes are not a function of the file ID")
	}
}
