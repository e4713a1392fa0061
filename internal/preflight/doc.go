// Package preflight checks, before anything is written, that wrapup can do
// its job: the Slack token holds every scope the config needs, and the
// tracker is reachable, accepts the credentials, has the project or
// repository, and lets wrapup create issues there.
//
// `wrapup check` prints its [Report]; `run` and `sweep` compare the
// token's scopes with [NeededScopes] (see [MissingScopes]) to refuse to
// start a run that would fail half-way, after the channel had been
// exported but before the wrap-up message or the archiving.
//
// The checks reach Slack, Jira and GitHub through the same clients a run
// uses: archive/slackapi's, and the tracker adapters' go-jira and
// go-github clients, with their base URLs, credentials and transports.
//
// # Scopes
//
// [NeededScopes] derives the Slack scopes from the config, because some
// steps can be turned off: files:read is needed only when export.files is
// on; channels:manage and groups:write only when close.archive_channel is;
// chat:write only when close.post_summary is on or close.announce_channel
// is set; users:read.email only when tracker.kind is jira (Cloud finds
// assignees by e-mail only, Data Center falls back to the Slack handle).
// The rest are always needed: wrapup cannot know in advance whether an
// incident channel is public or private, so it asks for both families.
//
// The granted scopes come from the X-OAuth-Scopes header of auth.test,
// which Slack sends with every Web API answer.
//
// # Tokens
//
// No function here prints, logs or returns a token: the checks' texts
// name the environment variables that hold them, and [Run] masks any
// token value that a server might have echoed back.
package preflight
