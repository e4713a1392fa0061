package pipeline

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
)

// AnnounceEventType marks wrapup's messages in close.announce_channel.
const AnnounceEventType = "wrapup_announce"

// announcePayload names the incident an announcement is about, so a rerun
// finds its own among the channel's many.
type announcePayload struct {
	ChannelID string `json:"channel_id"`
	Channel   string `json:"channel"`
}

// announce posts, once, the incident's summary to close.announce_channel
// (say #incidents-postmortems), or edits the one an earlier run posted.
func (r *runner) announce(ctx context.Context) error {
	name := r.cfg.Close.AnnounceChannel
	if name == "" {
		return nil
	}
	target, err := r.Slack.Resolve(ctx, name)
	if err != nil {
		return fmt.Errorf("close.announce_channel: %w", err)
	}
	s := r.summary(r.ticketList(), true)
	s.Channel, s.Archiving = r.info.ID, false
	text := s.Text()
	me, err := r.Slack.Self(ctx)
	if err != nil {
		return err
	}
	find := func() (*archive.Message, error) {
		return r.Slack.FindMessageWhere(ctx, target, AnnounceEventType, func(m *archive.Message) bool {
			var p announcePayload
			return me.Owns(m) && json.Unmarshal(m.Metadata.EventPayload, &p) == nil && p.ChannelID == r.info.ID
		})
	}
	m, err := find()
	if slackapi.Code(err) == "not_in_channel" && !r.DryRun {
		// The app reads and posts only where it is a member: it joins a
		// public announce channel; a private one needs an /invite.
		if jerr := r.Slack.Join(ctx, target); jerr != nil {
			return fmt.Errorf("close.announce_channel #%s: %w", name, jerr)
		}
		r.note("joined #%s to announce the wrap-up there", name)
		m, err = find()
	}
	if slackapi.Code(err) == "channel_not_found" {
		return fmt.Errorf("close.announce_channel #%s: Slack does not show the channel to the app: if it is private, invite the app with /invite @%s in it: %w",
			name, appName, err)
	}
	if slackapi.Code(err) == "not_in_channel" && r.DryRun {
		fmt.Fprintf(r.Plan, "would join #%s and post the announcement there:\n%s\n", name, text)
		return nil
	}
	if err != nil {
		return fmt.Errorf("close.announce_channel #%s: %w", name, err)
	}
	if r.DryRun {
		verb := "post"
		if m != nil {
			verb = "update"
		}
		fmt.Fprintf(r.Plan, "would %s the announcement in #%s:\n%s\n", verb, name, text)
		return nil
	}
	payload, _ := json.Marshal(announcePayload{ChannelID: r.info.ID, Channel: r.info.Name})
	md := archive.Metadata{EventType: AnnounceEventType, EventPayload: payload}
	if m != nil {
		return r.Slack.Update(ctx, target, m.TS, text, md)
	}
	if _, err := r.Slack.Post(ctx, target, text, md); err != nil {
		// A post that timed out may have landed; the rerun finds it.
		return fmt.Errorf("announcing in #%s: %w", name, err)
	}
	return nil
}
