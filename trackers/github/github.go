// Package github files action items as GitHub issues through go-github
// v60, on github.com or GitHub Enterprise Server.
//
// Each issue carries the incident's label and starts with a hidden marker
// <!-- wrapup:<key> -->; [Tracker.Lookup] lists the incident label's
// issues (consistent, unlike the search API) and reads the markers. Writes
// go one at a time, spaced as GitHub asks.
package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	gh "github.com/google/go-github/v60/github"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// MaxLabel is GitHub's limit on a label name, in characters.
const MaxLabel = 50

// Config says where and how to file.
type Config struct {
	// APIURL is GitHub Enterprise's URL (https://ghe.example.com, or its
	// /api/v3/ URL); empty means github.com.
	APIURL string
	Repo   string // owner/name
	Token  string
	Labels []string // added to every issue, besides the incident's label
	// Users maps Slack handles to GitHub logins, for assignees.
	Users map[string]string
	// Channel is the incident channel's name: the incident label is
	// incident:<channel>, trimmed to GitHub's 50 characters.
	Channel       string
	PostmortemURL string // where the postmortem is published; linked when set

	// WriteSpacing is the least time between two writes; 0 means 1s, as
	// GitHub asks. Tests scale it down.
	WriteSpacing time.Duration
	// Gate, when set, is shared with other trackers of the same token so
	// that their writes too go one at a time; nil gives this one its own.
	Gate *WriteGate
	// Transport sends requests; nil means http.DefaultTransport. Rate
	// limits (429, and 403 with Retry-After or an exhausted quota) are
	// handled above it.
	Transport http.RoundTripper
	// RateLimit tunes the rate-limit handling; nil means defaults.
	RateLimit *trackers.RateLimitTransport
	// PerPage is the page size of listings; 0 means 100.
	PerPage int
	// Timeout bounds each request; 0 means 30s.
	Timeout time.Duration
}

// Tracker files items in one repository for one incident. It is safe for
// concurrent use; its writes are serialised anyway.
type Tracker struct {
	cfg         Config
	client      *gh.Client
	owner, repo string
	label       string

	labelsMu sync.Mutex
	labelsOK bool
}

var _ trackers.Service = (*Tracker)(nil)

// IncidentLabel returns the label for an incident channel, within
// GitHub's 50-character limit.
func IncidentLabel(channel string) string {
	l := "incident:" + channel
	if utf8.RuneCountInString(l) > MaxLabel {
		l = string([]rune(l)[:MaxLabel])
	}
	return l
}

// New checks cfg and returns a Tracker.
func New(cfg Config) (*Tracker, error) {
	owner, repo, ok := strings.Cut(cfg.Repo, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return nil, fmt.Errorf("github repo %q: want owner/name", cfg.Repo)
	}
	if cfg.Token == "" {
		return nil, errors.New("github: token missing")
	}
	if strings.TrimSpace(cfg.Channel) == "" {
		return nil, errors.New("github: the incident channel's name is needed for its label")
	}
	for _, l := range cfg.Labels {
		if l == "" || utf8.RuneCountInString(l) > MaxLabel || strings.Contains(l, ",") {
			return nil, fmt.Errorf("github label %q: want 1 to %d characters and no comma", l, MaxLabel)
		}
	}
	if cfg.WriteSpacing <= 0 {
		cfg.WriteSpacing = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	rl := trackers.RateLimitTransport{}
	if cfg.RateLimit != nil {
		rl = *cfg.RateLimit
	}
	rl.Base = cfg.Transport
	gate := cfg.Gate
	if gate == nil {
		gate = new(WriteGate)
	}
	rl.AttemptTimeout = cfg.Timeout
	hc := &http.Client{Transport: &spacer{next: &rl, spacing: cfg.WriteSpacing, gate: gate}}
	client := gh.NewClient(hc).WithAuthToken(cfg.Token)
	if cfg.APIURL != "" {
		var err error
		if client, err = client.WithEnterpriseURLs(cfg.APIURL, cfg.APIURL); err != nil {
			return nil, fmt.Errorf("github api_url %q: %w", cfg.APIURL, err)
		}
	}
	return &Tracker{cfg: cfg, client: client, owner: owner, repo: repo, label: IncidentLabel(cfg.Channel)}, nil
}

// File creates the issue, making the labels first if they are missing.
func (t *Tracker) File(ctx context.Context, it timeline.ActionItem) (timeline.Ticket, error) {
	if !keyOK(it.Key) {
		return timeline.Ticket{}, trackers.Permanent(fmt.Errorf("item key %q: want letters, digits, - and _", it.Key))
	}
	if err := t.ensureLabels(ctx); err != nil {
		return timeline.Ticket{}, err
	}
	req := &gh.IssueRequest{
		Title:  gh.String(Title(it)),
		Labels: &[]string{},
	}
	*req.Labels = append(append(*req.Labels, t.cfg.Labels...), t.label)
	login, note := t.assignee(it)
	if login != "" {
		req.Assignees = &[]string{login}
	}
	req.Body = gh.String(Body(it, t.cfg.Channel, t.cfg.PostmortemURL, note))
	is, resp, err := t.client.Issues.Create(ctx, t.owner, t.repo, req)
	if err != nil {
		return timeline.Ticket{}, classify("create issue", resp, err)
	}
	return t.ticket(is), nil
}

func (t *Tracker) ticket(is *gh.Issue) timeline.Ticket {
	return timeline.Ticket{Tracker: "github", ID: fmt.Sprintf("%s/%s#%d", t.owner, t.repo, is.GetNumber()), URL: is.GetHTMLURL()}
}

func (t *Tracker) assignee(it timeline.ActionItem) (login, note string) {
	if it.Assignee == "" {
		return "", ""
	}
	if login := t.cfg.Users[it.Assignee]; login != "" {
		return login, ""
	}
	return "", fmt.Sprintf("Unassigned: Slack user %s has no GitHub login in tracker.github.users.", it.Assignee)
}

// ensureLabels makes the configured and incident labels, once per
// Tracker. It lists the labels first, since reads are cheap and writes
// are spaced; a label made meanwhile (422 already_exists) is fine.
func (t *Tracker) ensureLabels(ctx context.Context) error {
	t.labelsMu.Lock()
	defer t.labelsMu.Unlock()
	if t.labelsOK {
		return nil
	}
	have := map[string]bool{}
	opts := &gh.ListOptions{PerPage: t.perPage()}
	for {
		ls, resp, err := t.client.Issues.ListLabels(ctx, t.owner, t.repo, opts)
		if err != nil {
			return classify("list labels", resp, err)
		}
		for _, l := range ls {
			have[strings.ToLower(l.GetName())] = true
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	for _, name := range append(append([]string(nil), t.cfg.Labels...), t.label) {
		if have[strings.ToLower(name)] {
			continue
		}
		l := &gh.Label{Name: gh.String(name), Color: gh.String("ededed")}
		if name == t.label {
			l.Color, l.Description = gh.String("b60205"), gh.String("Action items of one incident, filed by wrapup")
		}
		_, resp, err := t.client.Issues.CreateLabel(ctx, t.owner, t.repo, l)
		if err != nil && !alreadyExists(err) {
			return classify("create label "+name, resp, err)
		}
		have[strings.ToLower(name)] = true
	}
	t.labelsOK = true
	return nil
}

func alreadyExists(err error) bool {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range er.Errors {
		if e.Code == "already_exists" {
			return true
		}
	}
	return false
}

func (t *Tracker) perPage() int {
	if t.cfg.PerPage > 0 {
		return t.cfg.PerPage
	}
	return 100
}

// classify wraps err with op and marks the errors retrying cannot fix.
func classify(op string, resp *gh.Response, err error) error {
	err = fmt.Errorf("github %s: %w", op, err)
	if resp == nil || resp.Response == nil {
		return err
	}
	var rl *gh.RateLimitError
	var arl *gh.AbuseRateLimitError
	switch c := resp.StatusCode; {
	case errors.As(err, &rl) || errors.As(err, &arl):
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c == http.StatusConflict:
	case c >= 400 && c < 500:
		return trackers.Permanent(err)
	}
	return err
}

func keyOK(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
