package pipeline

import (
	"context"
	"encoding/json"
	"errors"
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
	if r.plan != nil {
		r.plan.name(target, name)
	}
	m, err := find()
	if slackapi.Code(err) == "not_in_channel" {
		// The app reads and posts only where it is a member: it joins a
		// public announce channel; a private one needs an /invite.
		switch jerr := r.writes.Join(ctx, target); {
		case errors.Is(jerr, errPlanned):
			m, err = nil, nil // joined in the plan only: nothing there to find
		case jerr != nil:
			return fmt.Errorf("close.announce_channel #%s: %w", name, jerr)
		default:
			r.note("joined #%s to announce the wrap-up there", name)
			m, err = find()
		}
	}
	if slackapi.Code(err) == "channel_not_found" {
		return fmt.Errorf("close.announce_channel #%s: Slack does not show the channel to the app: if it is private, invite the app with /invite @%s in it: %w",
			name, appName, err)
	}
	if err != nil {
		return fmt.Errorf("close.announce_channel #%s: %w", name, err)
	}
	payload, _ := json.Marshal(announcePayload{ChannelID: r.info.ID, Channel: r.info.Name})
	md := archive.Metadata{EventType: AnnounceEventType, EventPayload: payload}
	if m != nil {
		return r.writes.Update(ctx, target, m.TS, text, md)
	}
	if _, err := r.writes.Post(ctx, target, text, md); err != nil {
		// A post that timed out may have landed; the rerun finds it.
		return fmt.Errorf("announcing in #%s: %w", name, err)
	}
	return nil
}
