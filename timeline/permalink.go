package timeline

import (
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive"
)

// Permalink is DESIGN's permalink of a message:
// <workspace>/archives/<channel>/p<ts digits>, plus
// ?thread_ts=<parent>&cid=<channel> for a reply. It is nil when the
// workspace URL, the channel or the ts is unknown.
func Permalink(workspaceURL, channelID string, ts, threadTS archive.TS) *string {
	workspaceURL = strings.TrimRight(workspaceURL, "/")
	if workspaceURL == "" || channelID == "" || ts == 0 {
		return nil
	}
	s := workspaceURL + "/archives/" + channelID + "/p" + ts.Digits()
	if threadTS != 0 && threadTS != ts {
		s += "?thread_ts=" + threadTS.String() + "&cid=" + channelID
	}
	return &s
}

// InZone formats t for people in loc, with the zone's abbreviation, so a
// timeline crossing a daylight-saving change reads right on both sides:
// "2026-03-29 01:59 GMT", then "2026-03-29 03:00 BST".
func InZone(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}
