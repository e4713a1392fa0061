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
// Before each create the Filer records its intent (the key, and until when
// the create may take effect) in every [IntentLedger]; recording the
// ticket withdraws it. A run killed right after a create leaves an intent
// and no ticket, and where lookups lag (a [Lagger]: Jira Cloud's search is
// eventually consistent) the next run waits out [Filer.SearchLag] from
// then, looking the key up meanwhile, before it creates the item again.
// GitHub's list by label is consistent: there an intent costs no wait.
//
// Assignees are a wish, not a condition: a tracker that refuses the
// assignee still gets the item, unassigned, and a [Reporter] says so in
// [Filed.Unassigned] (and in a few words for an owner column, in
// [Filed.OwnerNote]), which the Filer passes on in [Outcome].
// A [HaltError] stops a run's filing at the item that raised it, when
// filing more would repeat the harm (issues made without the label a
// rerun finds them by).
//
// Backends live in sub-packages (trackers/jira, trackers/github); their
// emulators in trackers/jiratest and trackers/githubtest; the contract suite
// that every backend passes in trackers/trackertest.
package trackers
