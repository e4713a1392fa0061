// Package emoji turns Slack's emoji shortcodes (":rotating_light:",
// ":wave::skin-tone-3:") into the Unicode emoji they stand for, for the
// documents and tickets wrapup writes.
//
// The table is GitHub's, from github.com/yuin/goldmark-emoji, the same
// family as the Markdown renderer. It names most emoji as Slack does; the
// names Slack spells differently (":thinking_face:", ":large_green_circle:",
// ":simple_smile:") are mapped onto it in aliases.go, and Slack's
// ":flag-xx:" and ":skin-tone-N:" names are computed. A name found in none
// of them, such as a workspace's custom emoji, is no emoji here: it stays
// ":name:" text, which is what a reader outside Slack can be shown of it.
//
// Conversion is for output only. The archive keeps the text as Slack sent
// it, and messages wrapup posts to Slack keep their shortcodes, which
// Slack renders itself (custom emoji included).
package emoji
