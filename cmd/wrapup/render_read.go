package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackexport"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/pipeline"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
)

// renderScans says whether render reads a folder's channel a day file at
// a time (scanChannel) rather than whole; the tests that hold the two to
// the same output turn it off.
var renderScans = true

// channelRead is a channel as render reads it: its head (the channel,
// its users and warnings), its timeline, where its messages are read
// (nil when the head holds them) and how its archive is staged.
type channelRead struct {
	head  *archive.Archive
	tl    *timeline.Timeline
	msgs  render.Messages
	stage func(dir string, opts slackexport.WriteOptions) (*slackexport.Staged, error)
	close func() error // once the documents and archive are written
}

// Why a channel is read whole after all. errOtherUsers: a timeline built
// with every user of the export consulted one the channel does not
// reference, and might read otherwise with only those, as the channel's
// archive keeps them. errAllUsers: not every user of users.json can be
// read, though those the channel references may be.
var (
	errOtherUsers = errors.New("the timeline consulted a user the channel does not reference")
	errAllUsers   = errors.New("users.json cannot be read whole")
)

// readChannel reads the channel ch of exp and builds its timeline with
// the config's rules. The export is scanned, one day file at a time, the
// timeline built on the way: the channel is never held whole, and its
// messages are read again as the documents need them (a zip's day files
// decompressed again, a few at a time). An --explain run, or a channel
// the scan cannot take as it is (day files out of order, a name that a
// user outside the channel would answer to, a users.json with a user
// that cannot be read) is read whole instead, with the same result.
func readChannel(ctx context.Context, cfg *config.Config, exp *slackexport.Export, ch, workspace string, explain bool) (*channelRead, error) {
	rs, err := pipeline.Rules(cfg, workspace)
	if err != nil {
		return nil, usageError{err}
	}
	if renderScans && !explain {
		read, err := scanChannel(ctx, exp, ch, rs)
		if err == nil || !errors.Is(err, slackexport.ErrUnordered) && !errors.Is(err, errOtherUsers) && !errors.Is(err, errAllUsers) {
			return read, readError(err)
		}
	}
	arc, err := exp.Read(ch)
	if err != nil {
		return nil, readError(err)
	}
	tl, err := timeline.Build(arc, rs, timeline.Options{Explain: explain})
	if err != nil {
		return nil, err
	}
	return &channelRead{head: arc, tl: tl, stage: func(dir string, opts slackexport.WriteOptions) (*slackexport.Staged, error) {
		opts.From = exp
		return slackexport.Stage(dir, arc, opts)
	}, close: func() error { return nil }}, nil
}

// readError is render's error for a channel it could not read: a name
// that fits more than one channel is the command line's fault.
func readError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, slackexport.ErrAmbiguous):
		return usageError{fmt.Errorf("render: %w", err)}
	}
	return fmt.Errorf("render: %w", err)
}

// scanChannel scans the channel ch of exp, building its timeline from
// each message as it is read, and its threads from the index once all
// are read (timeline.Stream.Replied). The timeline is given every user of the
// export, as the users the channel references are known only at the end;
// it is the timeline of those users if it consulted no other
// (timeline.Stream.Consulted), else errOtherUsers. The index is a
// temporary file: the channelRead's close removes it. The scan stops at
// the next message once ctx is done.
func scanChannel(ctx context.Context, exp *slackexport.Export, ch string, rs *timeline.Ruleset) (*channelRead, error) {
	users, err := exp.Users()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errAllUsers, err)
	}
	var (
		st        *timeline.Stream
		lookupErr error
	)
	start := func(s *slackexport.Scanned) {
		head := &archive.Archive{Channel: s.Head().Channel, Users: users}
		st = timeline.NewStream(head, rs, timeline.Options{}, func(ts archive.TS) *archive.Message {
			m, err := s.Lookup(ts)
			if err != nil && lookupErr == nil {
				lookupErr = err
			}
			return m
		})
	}
	scanned, err := exp.Scan(ch, func(m *archive.Message, s *slackexport.Scanned) error {
		if st == nil {
			start(s)
		}
		if err := ctx.Err(); err != nil {
			return err // SIGINT
		}
		if err := st.Add(m, false); err != nil {
			return err
		}
		return lookupErr
	})
	if err != nil {
		return nil, err
	}
	if st == nil { // no messages
		start(scanned)
	}
	for root := range scanned.Threaded() {
		st.Replied(root)
	}
	tl := st.Timeline()
	if lookupErr != nil {
		scanned.Close()
		return nil, lookupErr
	}
	head := scanned.Head()
	referenced := make(map[string]bool, len(head.Users))
	for _, u := range head.Users {
		referenced[u.ID] = true
	}
	for _, id := range st.Consulted() {
		if !referenced[id] {
			scanned.Close()
			return nil, fmt.Errorf("%w: %s", errOtherUsers, id)
		}
	}
	return &channelRead{head: head, tl: tl, msgs: scanned, stage: scanned.Stage, close: scanned.Close}, nil
}
