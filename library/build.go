package library

import (
	"cmp"
	"context"
	"path"
	"slices"
	"time"

	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
)

// Build reads every incident folder under opts.Dir and computes the index.
// Folders it cannot use are in Index.Skipped; only an unreadable
// opts.Dir is an error.
func Build(ctx context.Context, opts Options) (*Index, error) {
	folders, skipped, err := readFolders(ctx, opts.Dir)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(folders))
	for _, fd := range folders {
		rows = append(rows, rowOf(fd))
	}
	idx := FromRows(rows, opts)
	idx.Skipped = skipped
	return idx, nil
}

// FromRows computes the index of rows (see [Row]): the figures that
// depend on the build time and index.overdue_after, the trends and the
// overdue items. Build makes its rows from the folders; a docs
// repository keeps them in index.json.
func FromRows(rows []Row, opts Options) *Index {
	if opts.OverdueAfter <= 0 {
		opts.OverdueAfter = DefaultOverdueAfter
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	idx := &Index{Dir: opts.Dir, BuiltAt: opts.Now.UTC().Truncate(time.Second), OverdueAfter: opts.OverdueAfter,
		AgeBuckets: ageLabels()}
	for _, r := range rows {
		idx.Incidents = append(idx.Incidents, incident(r, opts))
	}
	slices.SortStableFunc(idx.Incidents, newestFirst)
	idx.trends()
	for _, in := range idx.Incidents {
		for _, it := range in.Items {
			if it.Overdue {
				idx.Overdue = append(idx.Overdue, &Overdue{Incident: in, Item: it})
			}
		}
	}
	slices.SortStableFunc(idx.Overdue, func(a, b *Overdue) int { return cmp.Compare(b.Item.Age, a.Item.Age) })
	return idx
}

// newestFirst orders incidents by declaration, newest first, undated
// ones last, then by folder name.
func newestFirst(a, b *Incident) int {
	switch {
	case a.DeclaredAt == nil && b.DeclaredAt != nil:
		return 1
	case a.DeclaredAt != nil && b.DeclaredAt == nil:
		return -1
	case a.DeclaredAt != nil && !a.DeclaredAt.Equal(*b.DeclaredAt):
		return b.DeclaredAt.Compare(*a.DeclaredAt)
	}
	return cmp.Compare(b.Folder, a.Folder)
}

// rowOf is one folder's row.
func rowOf(fd *folderData) Row {
	tl := fd.tl
	inc := tl.Incident
	r := Row{JSONIncident: JSONIncident{Folder: fd.name, Title: inc.Title, Severity: inc.Severity,
		DeclaredAt: utc(inc.DeclaredAt), TimeToMitigate: tl.Metrics.TimeToMitigate, TimeToResolve: tl.Metrics.TimeToResolve,
		Responders: tl.Metrics.Responders},
		Channel: inc.Channel, Status: inc.Status, Commander: inc.Commander, ResolvedAt: utc(inc.ResolvedAt),
		LateUpdates: tl.Metrics.LateUpdates, Messages: tl.Metrics.Messages, Items: []RowItem{}}
	r.PeakSeverity = peak(tl)
	if len(tl.Metrics.SecondsInStatus) > 0 {
		var d int64
		for _, s := range tl.Metrics.SecondsInStatus {
			d += s
		}
		r.Duration = &d
	} else if r.DeclaredAt != nil && r.ResolvedAt != nil {
		d := int64(r.ResolvedAt.Sub(*r.DeclaredAt) / time.Second)
		r.Duration = &d
	}
	if fd.markdown {
		r.Markdown = path.Join(fd.name, render.MarkdownFile)
	}
	if fd.html {
		r.HTML = path.Join(fd.name, render.HTMLFile)
	}
	for _, ai := range tl.ActionItems {
		it := RowItem{Key: ai.Key, Summary: ai.Summary, Assignee: ai.Assignee, Ticket: ai.Ticket}
		if t, ok := fd.tickets[ai.Key]; ok {
			it.Ticket = &t
		}
		if st, ok := fd.states[ai.Key]; ok {
			it.State, it.ResolvedAt = st.State, utc(st.ResolvedAt)
			if st.Done {
				it.State = StateDone
			}
			if !st.CheckedAt.IsZero() {
				at := st.CheckedAt.UTC()
				it.CheckedAt = &at
			}
		}
		r.Items = append(r.Items, it)
	}
	return r
}

// incident computes one row's figures as of opts.Now.
func incident(r Row, opts Options) *Incident {
	in := &Incident{Folder: r.Folder, Title: r.Title, Channel: r.Channel, Severity: r.Severity, PeakSeverity: r.PeakSeverity,
		Status: r.Status, Commander: r.Commander, DeclaredAt: utc(r.DeclaredAt), ResolvedAt: utc(r.ResolvedAt),
		Duration: r.Duration, TTM: r.TimeToMitigate, TTR: r.TimeToResolve, LateUpdates: r.LateUpdates,
		Responders: r.Responders, Messages: r.Messages, Markdown: r.Markdown, HTML: r.HTML}
	since := in.ResolvedAt
	if since == nil {
		since = in.DeclaredAt
	}
	for _, ri := range r.Items {
		it := &Item{Key: ri.Key, Summary: ri.Summary, Assignee: ri.Assignee, Ticket: ri.Ticket, State: ri.State,
			ResolvedAt: utc(ri.ResolvedAt), CheckedAt: utc(ri.CheckedAt)}
		in.Actions.Total++
		switch it.State {
		case StateDone:
			in.Actions.Done++
		case StateNotPlanned:
			in.Actions.NotPlanned++
		default:
			it.Open = true
			in.Actions.Open++
			if since != nil {
				it.Age = max(opts.Now.Sub(*since), 0)
				if it.Age > opts.OverdueAfter {
					it.Overdue = true
					in.Actions.Overdue++
				}
			}
		}
		in.Items = append(in.Items, it)
	}
	return in
}

// peak is the most severe severity the incident ever had (see
// SeverityOrder); with no ranked one, the final severity.
func peak(tl *timeline.Timeline) string {
	cands := []string{tl.Incident.PeakSeverity, tl.Incident.InitialSeverity, tl.Incident.Severity}
	for _, ev := range tl.Events {
		if ev.Kind == timeline.KindSeverity || ev.Kind == timeline.KindDeclared {
			cands = append(cands, ev.Severity)
		}
	}
	best := ""
	for _, s := range cands {
		if s == "" {
			continue
		}
		if _, ok := timeline.SeverityRank(s); ok && (best == "" || SeverityOrder(s, best) < 0) {
			best = s
		}
	}
	if best == "" {
		return tl.Incident.Severity
	}
	return best
}

// SeverityOrder orders severity labels, most severe first: ranked labels
// by timeline.SeverityRank (SEV1, P1 and Critical/High are all rank 1;
// within a rank SEVn before Pn before words, by name), then labels outside
// those scales in alphabetical order, then "" (no severity).
func SeverityOrder(a, b string) int {
	if a == b {
		return 0
	}
	if a == "" || b == "" {
		return cmp.Compare(b, a) // "" is greatest
	}
	ra, oka := timeline.SeverityRank(a)
	rb, okb := timeline.SeverityRank(b)
	switch {
	case oka && !okb:
		return -1
	case !oka && okb:
		return 1
	case oka && okb && ra != rb:
		return cmp.Compare(ra, rb)
	case oka && okb:
		return cmp.Compare(scale(a), scale(b))*2 + cmp.Compare(a, b)
	}
	return cmp.Compare(a, b)
}

// scale orders the severity scales within a rank: SEVn, Pn, words.
func scale(s string) int {
	switch {
	case len(s) > 3 && s[:3] == "SEV":
		return 0
	case len(s) > 1 && s[0] == 'P' && s[1] >= '0' && s[1] <= '9':
		return 1
	}
	return 2
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
