// Package slackapi fetches one live Slack channel through
// github.com/slack-go/slack into an [archive.Archive], and closes it out:
// the workspace URL, archiving the channel, and the wrap-up "ledger"
// message found again by its metadata.
//
// # Fidelity
//
// slack-go's typed responses drop fields Slack sent, and an archive is a
// record, so the client is handed an http.Client whose transport keeps a
// copy of each response body (see capture.go). Messages, users and the
// channel are decoded from those bytes with package archive, so each keeps
// the JSON Slack sent; slack-go still does the requests, the errors and the
// pagination cursors.
//
// A Slack Connect file can reach history reduced to its ID and
// "file_access": "check_file_info"; the export reads its object with
// files.info, puts it in place of the reduced one in the message's JSON,
// and downloads the file like any other.
//
// # Limits, retries, resume
//
// A [Limiter] holds one token bucket per Slack rate-limit tier and is meant
// to be shared by every export in the process, so that a sweep over many
// channels stays inside the workspace's limits. A 429 pauses the whole tier
// for Retry-After, however many come, within a time budget per call
// (Options.RateLimitBudget, an hour by default); 5xx answers, timeouts and
// broken connections are retried with jittered exponential backoff, a
// bounded number of times; every wait ends when the context does.
//
// Slack holds commercially distributed apps outside its Marketplace to 1
// history or replies call a minute and 15 messages a page (its changelog
// of May 2025). The client recognises that from short pages or minute-long
// Retry-Afters and says so once, in the log and in [Client.Notes], with the
// fix: an internal app is not subject to those limits.
//
// A long export checkpoints its cursor, the threads done and the messages
// fetched so far in a 0600 file it rewrites atomically; run again, it
// continues from there, and it removes the file once the export is whole.
package slackapi
