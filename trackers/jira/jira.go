// Package jira files action items as Jira issues through go-jira v1.17.0,
// on Jira Cloud (e-mail and API token, basic auth) or Data Center
// (personal access token, bearer auth).
//
// Each issue carries the label wrapup-<key>, by which [Tracker.Lookup]
// finds it again with one JQL query per incident. Descriptions are wiki
// markup in which every piece of user text is inert.
package jira

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gojira "github.com/andygrunwald/go-jira"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// Deployments.
const (
	Cloud      = "cloud"
	DataCenter = "datacenter"
)

// Concurrency is the most creates a [trackers.Filer] should keep in
// flight against Jira: more invites 429s.
const Concurrency = 4

// LabelPrefix starts the label that carries an item's key.
const LabelPrefix = "wrapup-"

// Config says where and how to file.
type Config struct {
	URL        string // the site, e.g. https://example.atlassian.net
	Deployment string // Cloud or DataCenter; empty means Cloud
	User       string // Cloud: the account's e-mail; unused on Data Center
	Token      string // Cloud: API token; Data Center: personal access token

	Project   string   // project key, e.g. OPS
	IssueType string   // e.g. Task; needed to file, not to read
	Labels    []string // added to every issue, besides wrapup-<key>
	// Users maps Slack handles to Jira people: accountIds on Cloud,
	// usernames on Data Center (tracker.jira.users). A handle not here is
	// looked up by the Slack user's e-mail, where Jira shows it.
	Users map[string]string

	Priority     string         // optional priority name
	Parent       string         // optional parent issue key (team-managed epics, sub-tasks)
	CustomFields map[string]any // optional fields set as given, e.g. customfield_10010

	PostmortemURL string // where the postmortem is published; linked when set
	Channel       string // the incident channel's name, for the description

	// Transport sends requests; nil means http.DefaultTransport. Rate
	// limits (429) are handled above it.
	Transport http.RoundTripper
	// RateLimit tunes the 429 handling; nil means defaults.
	RateLimit *trackers.RateLimitTransport
	// PageSize is the search page size; 0 means 100.
	PageSize int
	// Timeout bounds each HTTP request; 0 means 30s. A create that times
	// out may still have succeeded: the Filer looks it up before retrying.
	Timeout time.Duration
	// Now is the clock that dates a [Tracker.States] answer; nil means
	// time.Now.
	Now func() time.Time
}

// Tracker files items in one Jira project. It is safe for concurrent use.
type Tracker struct {
	cfg    Config
	client *gojira.Client
	base   string

	usersMu sync.Mutex
	users   map[string]string // e-mail or handle -> accountId or name; "" for unknown

	// newSearch is 1 when /search/jql answers, 0 when the old search does;
	// flipped by a 404 or 410.
	newSearch atomic.Bool
}

var (
	_ trackers.Service     = (*Tracker)(nil)
	_ trackers.StateReader = (*Tracker)(nil)
)

var labelRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// New checks cfg and returns a Tracker.
func New(cfg Config) (*Tracker, error) {
	switch cfg.Deployment {
	case "":
		cfg.Deployment = Cloud
	case Cloud, DataCenter:
	default:
		return nil, fmt.Errorf("jira deployment %q: want %s or %s", cfg.Deployment, Cloud, DataCenter)
	}
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("jira url %q: want an http(s) URL", cfg.URL)
	}
	if cfg.Project == "" {
		return nil, errors.New("jira: project is required")
	}
	if cfg.Token == "" || (cfg.Deployment == Cloud && cfg.User == "") {
		return nil, errors.New("jira: credentials missing (Cloud needs the user's e-mail and an API token, Data Center a personal access token)")
	}
	for _, l := range cfg.Labels {
		if !labelRE.MatchString(l) {
			return nil, fmt.Errorf("jira label %q: labels cannot hold spaces or special characters", l)
		}
	}
	rl := trackers.RateLimitTransport{}
	if cfg.RateLimit != nil {
		rl = *cfg.RateLimit
	}
	rl.Base = cfg.Transport
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	rl.AttemptTimeout = cfg.Timeout
	hc := &http.Client{}
	if cfg.Deployment == Cloud {
		hc.Transport = &gojira.BasicAuthTransport{Username: cfg.User, Password: cfg.Token, Transport: &rl}
	} else {
		hc.Transport = &gojira.PATAuthTransport{Token: cfg.Token, Transport: &rl}
	}
	base := strings.TrimSuffix(cfg.URL, "/")
	client, err := gojira.NewClient(hc, base+"/")
	if err != nil {
		return nil, fmt.Errorf("jira client: %w", err)
	}
	t := &Tracker{cfg: cfg, client: client, base: base, users: map[string]string{}}
	t.newSearch.Store(cfg.Deployment == Cloud)
	return t, nil
}

// API is the go-jira client the tracker talks through, with its
// credentials, base URL and transports, for reads that are not filing
// (wrapup check).
func (t *Tracker) API() *gojira.Client { return t.client }

// File creates the issue, then links it to the Slack message.
func (t *Tracker) File(ctx context.Context, it timeline.ActionItem) (timeline.Ticket, error) {
	f, err := t.FileReport(ctx, it)
	return f.Ticket, err
}

// FileReport is File, saying also when the assignee could not be set.
// Assignees are a wish: when Jira refuses one (400 with errors.assignee:
// not assignable in the project, no Assign Issues permission, or the
// field off the create screen) the issue is filed unassigned, and its
// description says why.
func (t *Tracker) FileReport(ctx context.Context, it timeline.ActionItem) (trackers.Filed, error) {
	if t.cfg.IssueType == "" {
		return trackers.Filed{}, trackers.Permanent(errors.New("jira: issue_type is required to file"))
	}
	if !labelRE.MatchString(it.Key) {
		return trackers.Filed{}, trackers.Permanent(fmt.Errorf("item key %q cannot be a Jira label", it.Key))
	}
	assignee, note, err := t.assignee(ctx, it)
	if err != nil {
		return trackers.Filed{}, err
	}
	short := ""
	if note != "" {
		short = "no Jira account known"
	}
	created, resp, err := t.create(ctx, t.issue(it, assignee, note))
	if refusal := assigneeRefusal(err); assignee != "" && refusal != "" {
		note = fmt.Sprintf("Unassigned: %s could not be assigned in %s (Jira: %s).", who(it), t.cfg.Project, refusal)
		short = "not assignable in " + t.cfg.Project
		created, resp, err = t.create(ctx, t.issue(it, "", note))
	}
	if err != nil {
		return trackers.Filed{}, classify("create issue", resp, err)
	}
	tk := timeline.Ticket{Tracker: "jira", ID: created.Key, URL: t.base + "/browse/" + created.Key}
	if it.Permalink != nil && *it.Permalink != "" {
		// The issue exists and its description holds the permalink: a
		// failed remote link must not make it look unfiled, or no ledger
		// would record it and a rerun could file it again.
		_ = t.link(ctx, created.Key, it)
	}
	return trackers.Filed{Ticket: tk, Unassigned: unassigned(note), OwnerNote: short}, nil
}

// who names the item's assignee for people: @handle, else the e-mail.
func who(it timeline.ActionItem) string {
	if it.Assignee != "" {
		return "@" + it.Assignee
	}
	return it.AssigneeEmail
}

// unassigned turns a description note into the short reason a Filed
// carries.
func unassigned(note string) string {
	return strings.TrimSuffix(strings.TrimPrefix(note, "Unassigned: "), ".")
}

// create sends the create request; an error answer becomes a
// *gojira.Error carrying Jira's messages (Create does not do that).
func (t *Tracker) create(ctx context.Context, is *gojira.Issue) (*gojira.Issue, *gojira.Response, error) {
	created, resp, err := t.client.Issue.CreateWithContext(ctx, is)
	if err != nil && resp != nil && resp.Body != nil {
		err = gojira.NewJiraError(resp, err)
	}
	return created, resp, err
}

// assigneeRefusal returns the errors.assignee of a create's error, or "".
func assigneeRefusal(err error) string {
	var je *gojira.Error
	if !errors.As(err, &je) {
		return ""
	}
	return je.Errors["assignee"]
}

// issue builds the create request.
func (t *Tracker) issue(it timeline.ActionItem, assignee, note string) *gojira.Issue {
	fields := &gojira.IssueFields{
		Project:     gojira.Project{Key: t.cfg.Project},
		Type:        gojira.IssueType{Name: t.cfg.IssueType},
		Summary:     Summary(it),
		Description: Description(it, t.cfg.Channel, t.cfg.PostmortemURL, note),
		Labels:      append(append([]string(nil), t.cfg.Labels...), LabelPrefix+it.Key),
		Unknowns:    map[string]any{},
	}
	// Everything that names a person or a reference goes through Unknowns:
	// go-jira's User struct would send a Password field.
	if assignee != "" {
		if t.cfg.Deployment == Cloud {
			fields.Unknowns["assignee"] = map[string]string{"accountId": assignee}
		} else {
			fields.Unknowns["assignee"] = map[string]string{"name": assignee}
		}
	}
	if t.cfg.Priority != "" {
		fields.Unknowns["priority"] = map[string]string{"name": t.cfg.Priority}
	}
	if t.cfg.Parent != "" {
		fields.Unknowns["parent"] = map[string]string{"key": t.cfg.Parent}
	}
	for k, v := range t.cfg.CustomFields {
		fields.Unknowns[k] = v
	}
	return &gojira.Issue{Fields: fields}
}

// LookupLags reports whether a just-created issue may be missing from
// searches: Cloud's /search/jql is eventually consistent; Data Center's
// search is not.
func (t *Tracker) LookupLags() bool { return t.cfg.Deployment != DataCenter }

// link adds the remote link to the Slack message. Its globalId makes a
// second add an update, so rerunning it is harmless.
func (t *Tracker) link(ctx context.Context, key string, it timeline.ActionItem) error {
	rl := &gojira.RemoteLink{
		GlobalID:     "wrapup-slack=" + *it.Permalink,
		Application:  &gojira.RemoteLinkApplication{Type: "com.slack", Name: "Slack"},
		Relationship: "discussed in",
		Object:       &gojira.RemoteLinkObject{URL: safeURL(*it.Permalink), Title: "Slack message"},
	}
	// AddRemoteLink wraps errors with NewJiraError itself.
	_, resp, err := t.client.Issue.AddRemoteLinkWithContext(ctx, key, rl)
	if err != nil {
		return classify("add remote link", resp, err)
	}
	return nil
}

// fail turns an error response into a *gojira.Error (Create and Do do not)
// and marks the ones retrying cannot fix.
func (t *Tracker) fail(op string, resp *gojira.Response, err error) error {
	if resp != nil && resp.Body != nil {
		err = gojira.NewJiraError(resp, err)
	}
	return classify(op, resp, err)
}

func classify(op string, resp *gojira.Response, err error) error {
	err = fmt.Errorf("jira %s: %w", op, err)
	if resp != nil && resp.Response != nil {
		err = fmt.Errorf("%w (HTTP %d)", err, resp.StatusCode)
		switch c := resp.StatusCode; {
		case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c == http.StatusConflict:
		case c >= 400 && c < 500:
			return trackers.Permanent(err)
		}
	}
	return err
}

// safeURL percent-encodes what could end a wiki link or markup: a URL we
// make is not supposed to hold such characters, but never trust that.
func safeURL(u string) string {
	var b strings.Builder
	for _, r := range u {
		switch {
		case r <= ' ' || r == 0x7f || strings.ContainsRune("[]|{}!*^~\\\"'<>`", r):
			fmt.Fprintf(&b, "%%%02X", r)
		case r > 0x7f:
			b.WriteString(url.PathEscape(string(r)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
