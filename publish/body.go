package publish

import (
	"fmt"
	"strings"

	"github.com/wrapup/wrapup/render"
	ghtracker "github.com/wrapup/wrapup/trackers/github"
)

// Summary is what a pull request's body says of the incident. Every
// string but the URLs is untrusted text from Slack.
type Summary struct {
	Folder     string
	Title      string
	Severity   string
	Status     string
	Summary    string   // the incident's summary, if any
	Metrics    []Metric // key metrics, in order
	Tickets    []Ticket
	Channel    string // the channel's name
	ChannelURL string // its Slack link
	DocURL     string // the postmortem on the base branch, once merged
}

// Metric is one key figure.
type Metric struct{ Name, Value string }

// Ticket is one filed action item.
type Ticket struct{ ID, URL, Summary string }

// Title is the pull request's title.
func Title(s Summary) string {
	t := oneLine(s.Title)
	if t == "" {
		t = s.Folder
	}
	return "Postmortem: " + t
}

// Body is the pull request's body in GitHub Markdown: the summary, key
// metrics, the tickets and the channel's link. Untrusted text is escaped
// as the trackers escape it, so it can neither change the body's
// structure nor notify anyone (@mentions are broken); links go through
// render.SafeURL.
func Body(s Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- wrapup:publish %s -->\n", ghtracker.Escape(s.Folder))
	fmt.Fprintf(&b, "## %s\n\n", ghtracker.Escape(Title(s)))
	var facts []string
	if s.Severity != "" {
		facts = append(facts, "**Severity:** "+ghtracker.Escape(s.Severity))
	}
	if s.Status != "" {
		facts = append(facts, "**Status:** "+ghtracker.Escape(s.Status))
	}
	if len(facts) > 0 {
		b.WriteString(strings.Join(facts, " · ") + "\n\n")
	}
	if sum := strings.TrimSpace(s.Summary); sum != "" {
		for _, line := range strings.Split(sum, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				b.WriteString(ghtracker.Escape(line) + "\n")
			}
		}
		b.WriteString("\n")
	}
	if len(s.Metrics) > 0 {
		b.WriteString("### Key metrics\n\n| Metric | Value |\n| --- | --- |\n")
		for _, m := range s.Metrics {
			fmt.Fprintf(&b, "| %s | %s |\n", cell(m.Name), cell(m.Value))
		}
		b.WriteString("\n")
	}
	b.WriteString("### Action items\n\n")
	if len(s.Tickets) == 0 {
		b.WriteString("None filed.\n")
	}
	for _, t := range s.Tickets {
		id := ghtracker.Escape(t.ID)
		if u := render.SafeURL(t.URL); u != "" {
			id = "[" + id + "](" + u + ")"
		}
		fmt.Fprintf(&b, "- %s %s\n", id, ghtracker.Escape(t.Summary))
	}
	b.WriteString("\n")
	if u := render.SafeURL(s.ChannelURL); u != "" {
		fmt.Fprintf(&b, "Slack channel: [#%s](%s)\n", ghtracker.Escape(s.Channel), u)
	} else if s.Channel != "" {
		fmt.Fprintf(&b, "Slack channel: #%s\n", ghtracker.Escape(s.Channel))
	}
	if u := render.SafeURL(s.DocURL); u != "" {
		fmt.Fprintf(&b, "\nOnce merged, the postmortem is at <%s>\n", u)
	}
	return b.String()
}

// cell escapes a table cell: Escape backslashes "|" too.
func cell(s string) string { return ghtracker.Escape(s) }
