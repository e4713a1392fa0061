package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/publish"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/trackers"
)

// StepPublish proposes the postmortem as a pull request (publish.github),
// after it is rendered and before the wrap-up message names the PR.
const StepPublish = "publish"

// PublishExtra returns more files for the publish commit, by path in the
// docs repository, for the incident folder dir (rendered, in the output
// folder): the library's index.md and index.json where the index is
// enabled. nil adds none.
type PublishExtra func(ctx context.Context, dir string) (map[string][]byte, error)

// published is the publish step: it reads the documents the render step
// wrote, proposes them, records the outcome, and links every filed ticket
// to the published postmortem.
func (r *runner) published(ctx context.Context) error {
	if r.Publisher == nil {
		return nil
	}
	name := filepath.Base(r.dir)
	pc := r.cfg.Publish.GitHub
	if r.DryRun {
		fmt.Fprintf(r.Plan, "would propose %s as a pull request in %s on branch %s against %s\n",
			name, pc.Repo, publish.Branch(name), pc.Base)
		return nil
	}
	files := map[string][]byte{}
	for _, f := range append(publishFiles(pc.Formats), "timeline.json") {
		b, err := os.ReadFile(filepath.Join(r.dir, f))
		if err != nil {
			return fmt.Errorf("publish %s: %w (is %s in output.formats?)", f, err, strings.TrimPrefix(filepath.Ext(f), "."))
		}
		files[f] = b
	}
	var extra map[string][]byte
	if r.PublishExtra != nil {
		var err error
		if extra, err = r.PublishExtra(ctx, r.dir); err != nil {
			return err
		}
	}
	docURL := r.Publisher.DocURL(name, publishFiles(pc.Formats)[0])
	s := r.publishSummary(name, docURL)
	out, err := r.Publisher.Publish(ctx, publish.Document{Folder: name, Files: files, Extra: extra,
		Title: publish.Title(s), Body: publish.Body(s), Reviewers: r.reviewers()})
	if err != nil {
		return err
	}
	r.res.Publish = &out
	if out.Note != "" {
		r.note("%s", out.Note)
	}
	r.rec.Published = &folder.Published{State: out.State, Number: out.Number, URL: out.URL, Branch: out.Branch,
		Commit: out.Commit, DocURL: docURL}
	if out.State == publish.StateClosed || out.URL == "" {
		return nil // no document will be on the base branch to link to
	}
	return r.linkTickets(ctx, docURL)
}

// publishFiles are the document files of publish.github.formats, the
// postmortem.md first when it is one.
func publishFiles(formats []string) []string {
	out := []string{}
	if len(formats) == 0 || slices.Contains(formats, "md") {
		out = append(out, render.MarkdownFile)
	}
	if slices.Contains(formats, "html") {
		out = append(out, render.HTMLFile)
	}
	return out
}

// publishedLink is the published postmortem's URL, when publishing.
func (r *runner) publishedLink() string {
	if r.Publisher == nil || r.tl == nil {
		return ""
	}
	return r.Publisher.DocURL(filepath.Base(r.dir), publishFiles(r.cfg.Publish.GitHub.Formats)[0])
}

// linkTickets makes every filed ticket link to the postmortem once.
func (r *runner) linkTickets(ctx context.Context, url string) error {
	tickets := r.ticketList()
	if len(tickets) == 0 || r.Tracker == nil {
		return nil
	}
	svc, _, err := r.Tracker(r.info.Name, url)
	if err != nil || svc == nil {
		return err
	}
	l, ok := svc.(trackers.PostmortemLinker)
	if !ok {
		return nil
	}
	linked := 0
	for _, t := range tickets {
		changed, err := l.LinkPostmortem(ctx, t, url)
		if err != nil {
			return err
		}
		if changed {
			linked++
		}
	}
	if linked > 0 {
		r.note("linked %d tickets to the postmortem", linked)
	}
	return nil
}

// reviewers maps publish.github.reviewers to GitHub logins: an incident
// role (commander, ...) becomes the Slack handle that held it, mapped
// through tracker.github.users; anything else is a login.
func (r *runner) reviewers() []string {
	var out []string
	for _, rv := range r.cfg.Publish.GitHub.Reviewers {
		handle, role := "", false
		for _, ro := range r.tl.Roles {
			if strings.EqualFold(ro.Role, rv) {
				handle, role = strings.TrimPrefix(ro.User, "@"), true
			}
		}
		if !role {
			if !slices.Contains(out, rv) {
				out = append(out, rv)
			}
			continue
		}
		login := r.cfg.Tracker.GitHub.Users[handle]
		if login == "" {
			r.note("reviewer %s: no GitHub login for @%s in tracker.github.users; not asked", rv, handle)
			continue
		}
		if !slices.Contains(out, login) {
			out = append(out, login)
		}
	}
	return out
}

// publishSummary is what the pull request's body says. Its strings are
// the channel's text, redacted; publish.Body escapes them.
func (r *runner) publishSummary(name, docURL string) publish.Summary {
	inc := r.tl.Incident
	s := publish.Summary{Folder: name, Title: r.red.String(inc.Title), Severity: r.red.String(inc.Severity),
		Status: r.red.String(inc.Status), Channel: r.info.Name, DocURL: docURL}
	if r.workspace != "" {
		s.ChannelURL = strings.TrimRight(r.workspace, "/") + "/archives/" + r.info.ID
	}
	if inc.DeclaredAt != nil && inc.ResolvedAt != nil && inc.ResolvedAt.After(*inc.DeclaredAt) {
		s.Summary = fmt.Sprintf("Declared %s, resolved %s.", inc.DeclaredAt.UTC().Format(time.RFC3339), inc.ResolvedAt.UTC().Format(time.RFC3339))
		s.Metrics = append(s.Metrics, publish.Metric{Name: "Duration", Value: Human(inc.ResolvedAt.Sub(*inc.DeclaredAt))})
	}
	m := r.tl.Metrics
	if m.TimeToMitigate != nil {
		s.Metrics = append(s.Metrics, publish.Metric{Name: "Time to mitigate", Value: Human(time.Duration(*m.TimeToMitigate) * time.Second)})
	}
	if m.TimeToResolve != nil {
		s.Metrics = append(s.Metrics, publish.Metric{Name: "Time to resolve", Value: Human(time.Duration(*m.TimeToResolve) * time.Second)})
	}
	s.Metrics = append(s.Metrics, publish.Metric{Name: "Responders", Value: fmt.Sprint(m.Responders)})
	for i, it := range r.tl.ActionItems {
		if it.Ticket != nil {
			s.Tickets = append(s.Tickets, publish.Ticket{ID: it.Ticket.ID, URL: it.Ticket.URL, Summary: r.res.Tickets[i].Summary})
		}
	}
	return s
}
