// Package library is the postmortem library: an index of every incident
// folder under the output folder (DESIGN "Commands", wrapup index), with
// each incident's figures, trends by month and by severity, and whether
// the action items get done. It reads what the runs left, never Slack:
// each folder's timeline.json (through [timeline.Decode]) and wrapup.json
// (tickets and their recorded states, through [folder.Ledger]).
//
// # Figures
//
// Every figure is stated beside its table or chart in the documents too
// (templates/index.md.tmpl, templates/index.html.tmpl):
//
//   - Date and month: the declaration's, in UTC. The month of an incident
//     is the UTC month of its declaration.
//   - Severity: the final one (the last set). Peak: the most severe ever
//     set, by [timeline.SeverityRank] (SEV1 before SEV2, P1 before P2,
//     Critical before Major, High before Medium); a label outside those
//     scales never outranks a known one, so an incident whose labels are all
//     unknown has its final severity as its peak.
//   - Duration: declaration to resolution (the time split by status in
//     timeline.json, which runs to the last message when there is no
//     resolution). TTM and TTR are timeline.json's time_to_mitigate_s and
//     time_to_resolve_s.
//   - Action items: every item found in the channel. Done: its ticket's
//     recorded state is done. Not planned: closed as won't do. Open: the
//     rest, unfiled items and items whose state was never asked included.
//     Overdue: open, and more than index.overdue_after has passed since the
//     incident was resolved (declared, when it has no resolution), as of the
//     index's build time. The age of an open item is counted the same way.
//   - Median and p90 are nearest-rank percentiles over the incidents that
//     have the figure: sort the n values, and take the one at 1-based rank
//     ceil(p/100 × n) (the median is p = 50, the lower middle value for an
//     even n). With no value the figure is unknown (null in JSON).
//   - Late updates: the sum of timeline.json's late_updates.
//   - Action items opened and done, by month or severity: the items of the
//     incidents in that row, and how many of them are done now.
//
// # Safety
//
// Titles, handles and severities come from Slack and are untrusted: the
// Markdown templates escape them with render.Text (so a pipe or newline
// cannot split a table cell), the HTML ones through html/template after
// render.PlainText, and mermaid labels are built from months and figures
// only.
package library
