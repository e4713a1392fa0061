// Package slacktest emulates the Slack Web API over an in-memory workspace,
// so that the real slack-go client can be tested and demonstrated on a
// machine with no network.
//
// A [Server] is an [http.Handler]. It serves the methods wrapup uses under
// /api/ (auth.test, conversations.info/.history/.replies/.list/.join/
// .archive/.members, chat.postMessage/.update/.delete/.getPermalink,
// files.info, pins.list, users.list/.info, bookmarks.list), file downloads
// under /files-pri/, and
// the shared admin API of package internal/emulator under /_emulator/.
// [NewTestServer] starts one on 127.0.0.1 for a test.
//
// # Fidelity
//
// The emulator answers as Slack does, as far as wrapup can tell:
//
//   - messages are handed out as the JSON their source sent
//     (archive.Message.Raw), with file URLs pointing at the emulator;
//   - tokens come in the form body or as a Bearer header; each token has
//     its own scopes, and a call it may not make gets missing_scope with
//     needed and provided;
//   - pagination uses opaque base64 cursors and response_metadata.next_cursor,
//     with Slack's default and maximum limits;
//   - errors are HTTP 200 {"ok":false,"error":...} with Slack's codes, and
//     rate limits follow the method tiers, answering HTTP 429 with an integer
//     Retry-After ([Options.RateScale] runs the same ratios faster);
//   - messages keep Slack's limits: chat.update refuses text over 4,000
//     characters (msg_too_long), chat.postMessage truncates it past 40,000
//     with the message_truncated warning, more than 50 blocks is
//     invalid_blocks, and a metadata payload holds only strings, numbers,
//     booleans and flat arrays and objects of those
//     (invalid_metadata_format); history and replies without
//     include_all_metadata keep a message's event_type and drop its payload;
//   - a seeded file object that says "file_access": "check_file_info" is
//     a Slack Connect file: messages carry it reduced to its ID, as Slack
//     sends them, and files.info has the whole object.
//   - [Options.Distributed] applies Slack's 2025 limits for commercially
//     distributed apps outside the Marketplace: history and replies at 1
//     call a minute per method (with the tiers on or off) and at most 15
//     messages a page.
//
// # Performance
//
// Each channel keeps its history in a slice sorted by ts, with every
// message's JSON encoded once: a page is two binary searches and a copy.
package slacktest
