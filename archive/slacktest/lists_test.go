package slacktest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

func TestConversationsList(t *testing.T) {
	var archives []*archive.Archive
	for i := range 7 {
		a := channelArchive(t, fmt.Sprintf("C%d", i), fmt.Sprintf("incident-%d", i), 1)
		a.Channel.Archived = i == 3
		a.Channel.Private = i == 5
		archives = append(archives, a)
	}
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", archives...)
	list := func(p slack.GetConversationsParameters) (ids []string) {
		t.Helper()
		for calls := 0; ; calls++ {
			chans, next, err := c.GetConversations(&p)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range chans {
				ids = append(ids, ch.ID)
			}
			if next == "" || calls > 100 {
				return ids
			}
			p.Cursor = next
		}
	}
	for _, tc := range []struct {
		name string
		p    slack.GetConversationsParameters
		want []string
	}{
		{"public", slack.GetConversationsParameters{Limit: 2}, []string{"C0", "C1", "C2", "C3", "C4", "C6"}},
		{"exclude archived", slack.GetConversationsParameters{Limit: 3, ExcludeArchived: true}, []string{"C0", "C1", "C2", "C4", "C6"}},
		{"private", slack.GetConversationsParameters{Types: []string{"private_channel"}}, []string{"C5"}},
		{"both", slack.GetConversationsParameters{Limit: 1, Types: []string{"public_channel", "private_channel"}}, []string{"C0", "C1", "C2", "C3", "C4", "C5", "C6"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, list(tc.p)); diff != "" {
				t.Errorf("channels (-want +got):\n%s", diff)
			}
		})
	}
	if _, _, err := c.GetConversations(&slack.GetConversationsParameters{Cursor: "bad"}); slackCode(err) != "invalid_cursor" {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestMembersAndUsers(t *testing.T) {
	a := channelArchive(t, "C1", "incident", 1)
	a.Channel.Members = []string{"U3", "U1", "U2", bot}
	a.Users = append(a.Users, &archive.User{ID: "U2", Name: "bob"}, &archive.User{ID: "U3", Name: "carol", IsBot: true})
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", a)

	var members []string
	p := &slack.GetUsersInConversationParameters{ChannelID: "C1", Limit: 2}
	for {
		page, next, err := c.GetUsersInConversation(p)
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, page...)
		if next == "" {
			break
		}
		p.Cursor = next
	}
	if diff := cmp.Diff([]string{"U0EMUBOT", "U1", "U2", "U3"}, members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}

	users, err := c.GetUsers(slack.GetUsersOptionLimit(2))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Name)
	}
	if diff := cmp.Diff([]string{"wrapup", "alice", "bob", "carol"}, names); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	u, err := c.GetUserInfo("U3")
	if err != nil || u.Name != "carol" || !u.IsBot {
		t.Errorf("users.info U3: %+v, %v", u, err)
	}
	if _, err := c.GetUserInfo("U404"); slackCode(err) != "user_not_found" {
		t.Errorf("users.info U404: %v", err)
	}
}

func TestPinsAndBookmarks(t *testing.T) {
	a := channelArchive(t, "C1", "incident", 3)
	a.Channel.Pins = []archive.Pin{{TS: sec(1), User: "U1", Created: 1_700_000_100}, {TS: sec(99)}}
	a.Channel.Bookmarks = []archive.Bookmark{{ID: "Bk1", Title: "Runbook", Link: "https://example.com/runbook", Created: 1_700_000_000}}
	_, _, c := start(t, slacktest.Options{}, "xoxb-1", a)
	items, _, err := c.ListPins("C1")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Message == nil || items[0].Message.Text != "m1" || items[0].Channel != "C1" {
		t.Errorf("pins: %+v", items)
	}
	bms, err := c.ListBookmarks("C1")
	if err != nil {
		t.Fatal(err)
	}
	if len(bms) != 1 || bms[0].Title != "Runbook" || bms[0].Link != "https://example.com/runbook" || bms[0].ChannelID != "C1" {
		t.Errorf("bookmarks: %+v", bms)
	}
	if _, err := c.ListBookmarks("C404"); slackCode(err) != "channel_not_found" {
		t.Errorf("bookmarks of an unknown channel: %v", err)
	}
	info, err := c.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: "C1", IncludeNumMembers: true})
	if err != nil || info.Name != "incident" || !info.IsMember || info.NumMembers != 2 || !slices.Equal(info.Members, nil) {
		t.Errorf("conversations.info: %+v, %v", info, err)
	}
}
