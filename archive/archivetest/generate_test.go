package archivetest

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
)

func TestGenerate(t *testing.T) {
	a := Generate(Options{Messages: 2000, Threads: 150})
	if len(a.Warnings) != 0 {
		t.Fatalf("warnings: %v", a.Warnings)
	}
	c := a.Counts()
	if c.Messages+c.Replies != 2000 {
		t.Errorf("counts %+v, want 2000 messages in all", c)
	}
	threads, bots, reactions, files := 0, 0, 0, 0
	for _, m := range a.Messages {
		if len(m.Replies) > 0 {
			threads++
			if m.ReplyCount != archive.Int(len(m.Replies)) || m.LatestReply != m.Replies[len(m.Replies)-1].TS {
				t.Fatalf("thread %s: reply_count %d latest %s, has %d", m.TS, m.ReplyCount, m.LatestReply, len(m.Replies))
			}
		}
	}
	for m := range a.All() {
		if a.IsBotMessage(m) {
			bots++
		}
		if len(m.Reactions) > 0 {
			reactions++
		}
		files += len(m.Files)
		var back archive.Message
		if err := json.Unmarshal(m.Raw, &back); err != nil || back.TS != m.TS || back.Text != m.Text {
			t.Fatalf("raw %s does not match the message", m.Raw)
		}
	}
	if threads != 150 || bots == 0 || reactions == 0 || files == 0 {
		t.Errorf("threads %d bots %d reactions %d files %d", threads, bots, reactions, files)
	}
	if again := Generate(Options{Messages: 2000, Threads: 150}); !cmp.Equal(a.Counts(), again.Counts()) ||
		string(again.Messages[5].Raw) != string(a.Messages[5].Raw) {
		t.Error("the same options gave a different channel")
	}
}

// TestGenerateReplies: Replies sets how many messages are thread replies.
func TestGenerateReplies(t *testing.T) {
	a := Generate(Options{Messages: 1000, Threads: 50, Replies: 200})
	if c := a.Counts(); c.Messages != 800 || c.Replies != 200 {
		t.Errorf("counts %+v, want 800 top-level messages and 200 replies", c)
	}
}
