// Package archivetest generates synthetic incident channels for tests,
// benchmarks and the emulator: N messages, T threads, bot status messages,
// reactions and files, deterministic for a seed.
package archivetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/wrapup/wrapup/archive"
)

// Options shape a generated channel. Zero fields take the defaults noted.
type Options struct {
	Messages int // all messages, replies included; default 1000
	Threads  int // top-level messages that get replies; default Messages/20
	// Replies is how many of the messages are thread replies; default
	// about half, (Messages-Threads)/2.
	Replies int
	Users   int    // human users; default 8
	Seed    uint64 // default 1

	ChannelID   string    // default C0SYNTH001
	ChannelName string    // default incident-2026-03-26-synthetic
	Start       time.Time // first message; default 2026-03-26T14:00:00Z
	// Gap is the mean time between messages; default 20s.
	Gap time.Duration

	// BotEvery makes every BotEvery-th top-level message a bot status
	// message; default 25, negative for none.
	BotEvery int
	// BotText gives the text of the i-th bot message; default a chatops
	// status line.
	BotText func(i int) string
	// ReactionEvery and FileEvery put a reaction and a file on every k-th
	// message; defaults 10 and 200, negative for none.
	ReactionEvery, FileEvery int
}

func (o *Options) defaults() {
	if o.Messages <= 0 {
		o.Messages = 1000
	}
	if o.Threads <= 0 {
		o.Threads = max(o.Messages/20, 1)
	}
	if o.Users <= 0 {
		o.Users = 8
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.ChannelID == "" {
		o.ChannelID = "C0SYNTH001"
	}
	if o.ChannelName == "" {
		o.ChannelName = "incident-2026-03-26-synthetic"
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2026, 3, 26, 14, 0, 0, 0, time.UTC)
	}
	if o.Gap <= 0 {
		o.Gap = 20 * time.Second
	}
	if o.BotEvery == 0 {
		o.BotEvery = 25
	}
	if o.BotText == nil {
		statuses := []string{"investigating", "identified", "monitoring"}
		o.BotText = func(i int) string {
			return fmt.Sprintf(":large_blue_circle: Status: *%s* \u2014 update %d", statuses[i%len(statuses)], i)
		}
	}
	if o.ReactionEvery == 0 {
		o.ReactionEvery = 10
	}
	if o.FileEvery == 0 {
		o.FileEvery = 200
	}
}

// BotID and BotName identify the generated bot.
const (
	BotID   = "B0SYNTHBOT"
	BotName = "IncidentBot"
)

var words = []string{"latency", "p99", "api-gateway", "deploy", "rollback", "database", "replica", "lag",
	"cpu", "error rate", "dashboard", "alert", "canary", "cache", "timeout", "upstream", "retry", "queue"}

// Generate builds a channel from opts. Every message carries Raw, as a
// source would produce it, so that writers and emulators see real JSON.
func Generate(opts Options) *archive.Archive {
	opts.defaults()
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	a := &archive.Archive{Channel: archive.Channel{
		ID: opts.ChannelID, Name: opts.ChannelName, Created: archive.Int(opts.Start.Unix()),
		Creator: userID(0), Topic: archive.Topic{Value: "SEV2 | investigating | IC @user0"},
	}}
	for i := range opts.Users {
		a.Users = append(a.Users, newUser(userID(i), fmt.Sprintf("user%d", i), false))
		a.Channel.Members = append(a.Channel.Members, userID(i))
	}
	a.Users = append(a.Users, newUser("U0SYNTHBOT", "incidentbot", true))

	tops := opts.Messages - (opts.Messages-opts.Threads)/2 // about half are replies
	if opts.Replies > 0 {
		tops = opts.Messages - opts.Replies
	}
	tops = min(max(tops, opts.Threads), opts.Messages)
	replies := opts.Messages - tops
	at := opts.Start
	// Top-level messages get even microseconds and replies odd ones, so
	// that no two messages share a ts.
	used := map[archive.TS]bool{}
	next := func() archive.TS {
		at = at.Add(time.Duration(rng.Int64N(int64(2*opts.Gap))) + time.Microsecond)
		ts := archive.TSFromTime(at) &^ 1
		for used[ts] {
			ts += 2
		}
		used[ts] = true
		return ts
	}
	var flat []*archive.Message
	threadEvery := max(tops/opts.Threads, 1)
	var threadParents []*archive.Message
	bots := 0
	for i := range tops {
		ts := next()
		var m *archive.Message
		if opts.BotEvery > 0 && i%opts.BotEvery == 0 {
			m = &archive.Message{TS: ts, Type: "message", Subtype: "bot_message", BotID: BotID,
				Username: BotName, Text: opts.BotText(bots)}
			bots++
		} else {
			m = humanMessage(rng, ts, userID(rng.IntN(opts.Users)), opts.ChannelID)
		}
		if i%threadEvery == 0 && len(threadParents) < opts.Threads {
			m.ThreadTS = ts
			threadParents = append(threadParents, m)
		}
		decorate(rng, m, i, opts)
		flat = append(flat, m)
	}
	// Replies go to threads round-robin, later than their parent.
	for i := range replies {
		if len(threadParents) == 0 {
			break
		}
		p := threadParents[i%len(threadParents)]
		step := archive.TS(opts.Gap/time.Microsecond/3) &^ 1
		ts := p.TS + archive.TS(1+i/len(threadParents))*step + 1
		for used[ts] {
			ts += 2
		}
		used[ts] = true
		r := humanMessage(rng, ts, userID(rng.IntN(opts.Users)), opts.ChannelID)
		r.ThreadTS = p.TS
		r.ParentUserID = p.User
		decorate(rng, r, i, opts)
		flat = append(flat, r)
		p.ReplyCount++
		p.LatestReply = max(p.LatestReply, ts)
	}
	for _, m := range flat {
		m.Raw = mustJSON(m)
	}
	a.Messages, a.Warnings = archive.Thread(flat)
	return a
}

func userID(i int) string { return fmt.Sprintf("U0SYN%05d", i) }

func newUser(id, name string, bot bool) *archive.User {
	u := &archive.User{ID: id, Name: name, RealName: "Synthetic " + name, IsBot: bot,
		Profile: archive.UserProfile{RealName: "Synthetic " + name, DisplayName: name}}
	if !bot {
		u.Profile.Email = name + "@example.com"
	}
	u.Raw, _ = json.Marshal(u)
	return u
}

func humanMessage(rng *rand.Rand, ts archive.TS, user, channel string) *archive.Message {
	n := 4 + rng.IntN(12)
	text := ""
	for j := range n {
		if j > 0 {
			text += " "
		}
		text += words[rng.IntN(len(words))]
	}
	blocks := fmt.Sprintf(`[{"type":"rich_text","block_id":"b%d","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":%q}]}]}]`,
		rng.IntN(1e6), text)
	return &archive.Message{TS: ts, Type: "message", User: user, Text: text, Blocks: json.RawMessage(blocks)}
}

func decorate(rng *rand.Rand, m *archive.Message, i int, opts Options) {
	if opts.ReactionEvery > 0 && i%opts.ReactionEvery == opts.ReactionEvery-1 {
		name := []string{"eyes", "+1", "pushpin", "ticket"}[rng.IntN(4)]
		m.Reactions = []archive.Reaction{{Name: name, Users: []string{userID(rng.IntN(opts.Users))}, Count: 1}}
	}
	if opts.FileEvery > 0 && i%opts.FileEvery == opts.FileEvery-1 && m.BotID == "" {
		id := fmt.Sprintf("F0SYN%06d", i)
		m.Files = []*archive.File{{ID: id, Name: "graph-" + id + ".png", Title: "graph", Mimetype: "image/png",
			Filetype: "png", Size: archive.Int(1024 + rng.IntN(4096)), Mode: "hosted", User: m.User,
			Created:            archive.Int(m.TS.Time().Unix()),
			URLPrivate:         "https://files.slack.com/files-pri/T0SYN-" + id + "/graph.png",
			URLPrivateDownload: "https://files.slack.com/files-pri/T0SYN-" + id + "/download/graph.png"}}
	}
}

func mustJSON(m *archive.Message) json.RawMessage {
	raw := m.Raw
	m.Raw = nil
	b, err := json.Marshal(m)
	m.Raw = raw
	if err != nil {
		panic(err)
	}
	return b
}
