// Package timeline rebuilds an incident's timeline from an archived Slack
// channel: it matches the incident bot's messages against rules, turns
// topic changes, pins and key-moment reactions into events, finds action
// items, and computes the metrics that timeline.json carries.
//
// It reads only the [archive] model: no I/O, no logging, no Slack client.
//
// # Rules
//
// A [RuleConfig] matches one message. [Compile] validates the config's
// rules and the presets it names (built-in rule sets embedded as YAML, see
// presets/*.yaml) and returns a [Ruleset]; [Build] runs it over an archive.
// Config rules are tried before presets and the first matching rule wins.
// Beyond DESIGN's fields a rule may carry:
//
//   - require_reaction: the message counts only if it carries this reaction
//     (Monzo Response acknowledges a command with white_check_mark);
//     reaction_by: bot|human|any says who must have left it.
//   - if_changed: a status, severity or role rule matches only when it
//     changes the incident's current value (Dispatch restates the status in
//     every topic change; only "Closed" is news).
//   - once: the rule matches at most one message (the first in time).
//   - set: constant values for named groups the pattern lacks
//     (e.g. {status: resolved} for a "closed" message).
//
// # Determinism
//
// [Encode] writes the same bytes for the same archive and rules: events are
// ordered by time then ts, maps are written with sorted keys, and nothing
// depends on the wall clock.
package timeline
