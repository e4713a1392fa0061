package slacktest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slacktest"
)

// TestBotReadsOnlyWhereItIsAMember: a bot token reads a channel's history
// only where the bot is a member. conversations.history's documented
// not_in_channel: "The token used does not have access to the proper
// channel. Only user tokens can access public channels they are not in."
// (method-docs_slack_kit, conversations.history.json). The export's
// `members` list, a join or a person's /invite make it a member.
func TestBotReadsOnlyWhereItIsAMember(t *testing.T) {
	listed := channelArchive(t, "C1", "listed", 2)
	outside := threadArchive(t, "C2", 2)
	outside.Channel.Members = []string{"U1", "U2"}
	invited := channelArchive(t, "C3", "invited", 1)
	invited.Channel.Members = nil
	srv, _, api := start(t, slacktest.Options{}, "xoxb-1", listed, outside, invited)

	if _, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C1"}); err != nil {
		t.Errorf("history where the export lists the bot: %v", err)
	}
	_, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C2"})
	if slackCode(err) != "not_in_channel" {
		t.Errorf("history outside the channel: %v, want not_in_channel", err)
	}
	_, _, _, err = api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C2", Timestamp: sec(0).String()})
	if slackCode(err) != "not_in_channel" {
		t.Errorf("replies outside the channel: %v, want not_in_channel", err)
	}
	if _, _, _, err := api.JoinConversation("C2"); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C2", Timestamp: sec(0).String()}); err != nil {
		t.Errorf("replies after joining: %v", err)
	}
	if err := srv.Invite("C3", "U0EMUBOT"); err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "C3"}); err != nil {
		t.Errorf("history after an /invite: %v", err)
	}
}

// TestArchivingRemovesTheBot: Slack removes bots (and apps) from a channel
// when it is archived, so afterwards the bot can neither read the channel
// nor join it again. conversations.join documents is_archived ("Channel has
// been archived.", conversations.join.json); history answers
// not_in_channel as for any channel the bot is not in. A channel seeded as
// archived has no bots either, whatever its export's members say.
func TestArchivingRemovesTheBot(t *testing.T) {
	live := threadArchive(t, "C1", 2)
	live.Channel.Members = []string{"U1", "U0EMUBOT", "UOTHERBOT"}
	live.Users = append(live.Users, &archive.User{ID: "UOTHERBOT", Name: "incidentbot", IsBot: true})
	gone := channelArchive(t, "C2", "gone", 1)
	gone.Channel.Archived, gone.Channel.Members = true, []string{"U1", "U0EMUBOT"}
	srv, _, api := start(t, slacktest.Options{}, "xoxb-1", live, gone)

	if err := api.ArchiveConversation("C1"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"C1", "C2"} {
		_, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: id})
		if slackCode(err) != "not_in_channel" {
			t.Errorf("%s: history after archiving: %v, want not_in_channel", id, err)
		}
		_, _, _, err = api.JoinConversation(id)
		if slackCode(err) != "is_archived" {
			t.Errorf("%s: join after archiving: %v, want is_archived", id, err)
		}
	}
	_, _, _, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: sec(0).String()})
	if slackCode(err) != "not_in_channel" {
		t.Errorf("replies after archiving: %v, want not_in_channel", err)
	}
	members, _, err := api.GetUsersInConversation(&slack.GetUsersInConversationParameters{ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 1 || members[0] != "U1" {
		t.Errorf("members after archiving: %v, want the person only", members)
	}
	if err := srv.Invite("C1", "U0EMUBOT"); err == nil {
		t.Error("an archived channel took an /invite")
	}
	// The admin state shows it too (DESIGN "The emulator": channels with
	// their members).
	st, _ := json.Marshal(srv.Admin().State())
	if !strings.Contains(string(st), `"id":"C1","name":"thread","is_archived":true,"members":["U1"]`) {
		t.Errorf("state: %s", st)
	}
}
