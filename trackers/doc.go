// Package trackers files incident action items as tickets, idempotently.
//
// A [Tracker] is one method, File. A [Finder] looks tickets up by the
// items' stable keys, in one call per incident. A [Filer] runs the
// three-ledger protocol of the design: before creating anything it checks
// every [Ledger] (the Slack wrap-up message, the output folder's wrapup.json)
// and then the tracker itself; after creating, it records the ticket in all
// of them. A create whose outcome is unknown (a timeout, a 5xx) is never
// retried blind: the key is looked up first.
//
// Assignees are a wish, not a condition: a tracker that refuses the
// assignee still gets the item, unassigned, and a [Reporter] says so in
// [Filed.Unassigned], which the Filer passes on in [Outcome.Unassigned].
// A [HaltError] stops a run's filing at the item that raised it, when
// filing more would repeat the harm (issues made without the label a
// rerun finds them by).
//
// Backends live in sub-packages (trackers/jira, trackers/github); their
// emulators in trackers/jiratest and trackers/githubtest; the contract suite
// that every backend passes in trackers/trackertest.
package trackers
