// Package mrkdwn converts Slack's mrkdwn message text into GitHub Flavored
// Markdown for postmortem documents.
//
// [ToMarkdown] gives block-level Markdown, [ToInline] one line safe inside a
// table cell. A [Resolver] (or a
// [MapResolver]) turns the user, channel and group IDs in mention tokens
// into names.
//
// Text can also be taken apart in steps, each done once: [Decode] undoes
// Slack's &amp; &lt; &gt; and keeps the markup (what timeline rules match),
// [Flatten] turns the markup of decoded text into what a reader sees
// ("@alice", "#ops", a link's label), and [ToInlineDecoded] converts such
// text to one line of Markdown without reading any of it as markup again.
//
// # Safety model
//
// Message text is untrusted: it may hold HTML, Markdown, template actions,
// pipes and invisible characters, and the Markdown is rendered both by
// GitHub and by goldmark. The rule is that the output shows what the user
// wrote and nothing the user wrote becomes markup. Only the formatting
// Slack itself renders is translated: bold, italic, strikethrough, code,
// code blocks, quotes, line breaks and links.
//
//   - Slack tokens (<@U1>, <#C1|ops>, <https://x|label>) are parsed on the raw
//     text, before &amp; &lt; &gt; are decoded, and each piece is decoded
//     exactly once, so "&amp;lt;" is shown as "&lt;".
//   - Every other character that could start Markdown syntax is
//     backslash-escaped: \ ` * _ { } [ ] < > ( ) # ! | ~ & $ everywhere, and
//     "-", "+", "=", ":" and "1." at the start of a line. Leading spaces are
//     dropped so no line becomes indented code. The output therefore holds
//     no "<" that starts HTML, no "](" the user typed, no table, heading or
//     list, no unescaped "|" and no "{{".
//   - Only http, https and mailto URLs become links. The scheme is checked
//     in ASCII; the destination is percent-encoded so it cannot break out
//     of "(...)" or "<...>". Any other scheme (javascript:, data:, file:)
//     is shown as text, with "://" escaped so GFM's linkify leaves it alone;
//     http(s) URLs in plain text become autolinks here, so linkify never
//     reads the escapes into an address.
//   - Formatting follows Slack's rules (markers at word boundaries, on one
//     line, never doubled) so that every span emitted is one GFM renders;
//     a marker that does not pair up is an escaped character.
//   - Code spans and fenced blocks use a backtick run longer than any inside
//     and carry no info string. Code cannot be escaped, so "{{" in code gets
//     a zero-width space between the braces.
//   - Emoji shortcodes (":rotating_light:", ":wave::skin-tone-3:") become
//     the emoji itself ([emoji.Replace]) once text is taken apart from code
//     and before it is escaped, so the Markdown never holds an escaped
//     code; a shortcode in code stays literal, and an unknown one (a
//     custom emoji) stays text. The emoji is escaped with the text around
//     it (the "#" of a keycap too).
//   - Bidi controls (U+202E and friends) are shown as "[U+202E]"; zero-width
//     characters are dropped, except a joiner between two non-ASCII
//     characters, where emoji and some scripts need it; control characters
//     are dropped.
//
// Converting is linear in the input: tokens, code and formatting markers
// are found in one pass each, with no regular expressions.
package mrkdwn
