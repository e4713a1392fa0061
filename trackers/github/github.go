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
	// incident:<channel>, trimmed to GitHub's 50 characters. Filing and
	// lookups need it; a tracker that only reads (wrapup check) does not.
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
	// Now is the clock that dates a [Tracker.States] answer; nil means
	// time.Now.
	Now func() time.Time
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

var (
	_ trackers.Service     = (*Tracker)(nil)
	_ trackers.StateReader = (*Tracker)(nil)
)

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
	if rl.Floor <= 0 {
		rl.Floor = time.Minute // GitHub: "wait for at least one minute"
	}
	if rl.MaxWait <= 0 {
		rl.MaxWait = 5 * time.Minute
	}
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

// API is the go-github client the tracker talks through, with its
// token, base URL and transports, for reads of the repository that are
// not filing (wrapup check).
func (t *Tracker) API() *gh.Client { return t.client }

// Repo is the repository's owner and name.
func (t *Tracker) Repo() (owner, name string) { return t.owner, t.repo }

// needChannel refuses to file or look up without the incident's channel,
// whose label finds the tickets again.
func (t *Tracker) needChannel() error {
	if strings.TrimSpace(t.cfg.Channel) == "" {
		return trackers.Permanent(errors.New("github: the incident channel's name is needed for its label"))
	}
	return nil
}

// File creates the issue, making the labels first if they are missing.
func (t *Tracker) File(ctx context.Context, it timeline.ActionItem) (timeline.Ticket, error) {
	f, err := t.FileReport(ctx, it)
	return f.Ticket, err
}

// FileReport is File, saying also when the assignee could not be set.
// Assignees are a wish: a login GitHub refuses (422, field assignees) is
// dropped and the issue filed without it, its body saying why. The
// created issue is then checked for the incident label and the marker,
// which GitHub drops silently for a token without push access: without
// them no rerun could find it, so that is a [trackers.HaltError].
func (t *Tracker) FileReport(ctx context.Context, it timeline.ActionItem) (trackers.Filed, error) {
	if err := t.needChannel(); err != nil {
		return trackers.Filed{}, err
	}
	if !keyOK(it.Key) {
		return trackers.Filed{}, trackers.Permanent(fmt.Errorf("item key %q: want letters, digits, - and _", it.Key))
	}
	if err := t.ensureLabels(ctx); err != nil {
		return trackers.Filed{}, err
	}
	login, note := t.assignee(it)
	short := ""
	if note != "" {
		short = "no GitHub login in tracker.github.users"
	}
	is, resp, err := t.client.Issues.Create(ctx, t.owner, t.repo, t.request(it, login, note))
	if login != "" && assigneeRefused(err) {
		note = fmt.Sprintf("Unassigned: @%s (GitHub %s) could not be assigned in %s/%s.", it.Assignee, login, t.owner, t.repo)
		short = fmt.Sprintf("not assignable in %s/%s", t.owner, t.repo)
		is, resp, err = t.client.Issues.Create(ctx, t.owner, t.repo, t.request(it, "", note))
	}
	if err != nil {
		return trackers.Filed{}, classify("create issue", resp, err)
	}
	f := trackers.Filed{Ticket: t.ticket(is), Unassigned: strings.TrimSuffix(strings.TrimPrefix(note, "Unassigned: "), "."),
		OwnerNote: short}
	if err := t.verify(is, it.Key); err != nil {
		return f, trackers.Halt(err)
	}
	return f, nil
}

// request builds the create request.
func (t *Tracker) request(it timeline.ActionItem, login, note string) *gh.IssueRequest {
	req := &gh.IssueRequest{
		Title:  gh.String(Title(it)),
		Labels: &[]string{},
		Body:   gh.String(Body(it, t.cfg.Channel, t.cfg.PostmortemURL, note)),
	}
	*req.Labels = append(append(*req.Labels, t.cfg.Labels...), t.label)
	if login != "" {
		req.Assignees = &[]string{login}
	}
	return req
}

// assigneeRefused reports a 422 whose errors name the assignees field.
func assigneeRefused(err error) bool {
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range er.Errors {
		if e.Field == "assignees" || e.Field == "assignee" {
			return true
		}
	}
	return false
}

// verify checks that the created issue carries what Lookup finds it by.
func (t *Tracker) verify(is *gh.Issue, key string) error {
	hasLabel := false
	for _, l := range is.Labels {
		hasLabel = hasLabel || strings.EqualFold(l.GetName(), t.label)
	}
	if k, ok := MarkerKey(is.GetBody()); !ok || k != key {
		return fmt.Errorf("github issue %s/%s#%d was created without the marker %s that finds it again: its body was changed on the way; filing stopped so that no more issues are made that a rerun cannot find",
			t.owner, t.repo, is.GetNumber(), Marker(key))
	}
	if !hasLabel {
		return fmt.Errorf("github issue %s/%s#%d was created without its label %q: GitHub drops labels silently when the token lacks push access to %s/%s, and without the label a rerun cannot find the issue and would file it again; filing stopped. Give the token write access to the repository (classic token: repo scope, as a collaborator with write; fine-grained: Issues read and write), then add the label to #%d by hand and run again",
			t.owner, t.repo, is.GetNumber(), t.label, t.owner, t.repo, is.GetNumber())
	}
	return nil
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
		if resp != nil && resp.StatusCode == http.StatusForbidden && err != nil {
			// Every item needs the label: say why once and file nothing.
			return trackers.Halt(trackers.Permanent(fmt.Errorf("github create label %q in %s/%s: %w; the token lacks push access (GitHub would also drop the labels and assignees of every issue). Give it write access to the repository (classic token: repo scope, as a collaborator with write; fine-grained or App: Issues read and write)",
				name, t.owner, t.repo, err)))
		}
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
