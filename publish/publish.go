// Package publish proposes an incident's postmortem where the team reads
// and reviews it: a pull request in a docs repository on GitHub (DESIGN
// "Config", publish.github).
//
// A run makes at most one commit, through the Git data API (blobs, a
// tree, a commit, the ref), on branch wrapup/<folder>, and finds its pull
// request again by that branch: a rerun adds a commit only when a file's
// bytes changed (blob SHAs computed here are compared with the branch's
// tree, nothing is uploaded to find out), never opens a second pull
// request, leaves a merged or closed one alone, and never force-pushes a
// branch a person pushed to.
package publish

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// The states of an [Outcome].
const (
	StateOpened    = "opened"    // this run opened the pull request
	StateUpdated   = "updated"   // this run pushed a new commit to its branch
	StateUnchanged = "unchanged" // the branch already had these bytes
	StateMerged    = "merged"    // merged: left alone
	StateClosed    = "closed"    // closed without merging: left alone
	StateDiverged  = "diverged"  // a person pushed to the branch: left alone
)

// Author is the name wrapup's commits carry; with the trailer it is how a
// rerun tells its own commits from a person's.
const Author = "wrapup"

// trailer marks wrapup's commits, naming the incident folder.
const trailer = "Wrapup-Incident: "

// Publisher proposes documents in one repository.
type Publisher struct {
	client            *gh.Client
	owner, repo, base string
	dir               string
	web               string // the web root: https://github.com or GHE's
}

// New returns a Publisher for repo ("owner/name") through client (see
// trackers/github's Tracker.API, which carries the token, base URL and
// rate-limit handling); apiURL is publish.github.api_url ("" for
// github.com), for the links to the published document.
func New(client *gh.Client, repo, base, dir, apiURL string) (*Publisher, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("publish.github.repo %q: want owner/name", repo)
	}
	if base == "" {
		return nil, errors.New("publish.github.base: empty")
	}
	web := "https://github.com"
	if apiURL != "" {
		u, err := url.Parse(strings.TrimRight(apiURL, "/"))
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("publish.github.api_url %q: not a URL", apiURL)
		}
		u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/api/v3"), "/api")
		u.RawQuery, u.Fragment = "", ""
		web = strings.TrimRight(u.String(), "/")
	}
	return &Publisher{client: client, owner: owner, repo: name, base: base, dir: strings.Trim(dir, "/"), web: web}, nil
}

// Branch is the head branch of an incident folder's pull request.
func Branch(folder string) string { return "wrapup/" + folder }

// Path is where a file of the folder goes in the repository.
func (p *Publisher) Path(folder, name string) string { return path.Join(p.dir, folder, name) }

// DocURL is where a document of the folder is read once its pull
// request is merged: on the base branch.
func (p *Publisher) DocURL(folder, name string) string {
	return p.web + "/" + p.owner + "/" + p.repo + "/blob/" + escapePath(p.base) + "/" + escapePath(p.Path(folder, name))
}

func escapePath(s string) string {
	parts := strings.Split(s, "/")
	for i, x := range parts {
		parts[i] = url.PathEscape(x)
	}
	return strings.Join(parts, "/")
}

// Document is what one incident proposes.
type Document struct {
	Folder string            // the incident folder's name
	Files  map[string][]byte // file name in the folder -> bytes
	// Extra are more files for the same commit, by path in the
	// repository (the library's index.md, where the index is enabled).
	Extra     map[string][]byte
	Title     string   // the pull request's title
	Body      string   // its body, already escaped (see [Body])
	Reviewers []string // GitHub logins asked to review a new pull request
}

// Outcome is what a Publish did.
type Outcome struct {
	State  string `json:"state"`
	Number int    `json:"number,omitempty"`
	URL    string `json:"url,omitempty"` // the pull request's
	Branch string `json:"branch"`
	Commit string `json:"commit,omitempty"` // the branch's head, as wrapup left it
	// Reviewers were asked to review by this run.
	Reviewers []string `json:"reviewers,omitempty"`
	// Note says, for people, what was left alone and why, or what could
	// not be done (a reviewer GitHub refused).
	Note string `json:"note,omitempty"`
}

// Publish proposes doc: see the package comment.
func (p *Publisher) Publish(ctx context.Context, doc Document) (Outcome, error) {
	out := Outcome{Branch: Branch(doc.Folder)}
	if doc.Folder == "" || strings.ContainsAny(doc.Folder, "/\\") || doc.Folder == "." || doc.Folder == ".." {
		return out, fmt.Errorf("publish: bad folder name %q", doc.Folder)
	}
	pr, err := p.findPull(ctx, out.Branch)
	if err != nil {
		return out, err
	}
	if pr != nil && pr.GetState() != "open" {
		out.Number, out.URL = pr.GetNumber(), pr.GetHTMLURL()
		out.State, out.Note = StateClosed, fmt.Sprintf("pull request #%d was closed without merging: left alone", pr.GetNumber())
		if pr.GetMerged() || pr.MergedAt != nil {
			out.State, out.Note = StateMerged, fmt.Sprintf("pull request #%d is merged: left alone", pr.GetNumber())
		}
		return out, nil
	}
	want := map[string][]byte{}
	for name, b := range doc.Files {
		want[p.Path(doc.Folder, name)] = b
	}
	for pth, b := range doc.Extra {
		if clean := path.Clean(pth); clean != pth || strings.HasPrefix(pth, "/") || strings.HasPrefix(pth, "..") {
			return out, fmt.Errorf("publish: extra file %q: not a clean relative path", pth)
		}
		want[pth] = b
	}
	// Twice at most: a branch another run made between our look and our
	// create is looked at again.
	var state string
	for attempt := 0; ; attempt++ {
		state, out.Commit, err = p.push(ctx, doc, out.Branch, want)
		if errors.Is(err, errRaced) && attempt == 0 {
			continue
		}
		if err != nil {
			return out, err
		}
		break
	}
	if state == StateDiverged {
		out.State = StateDiverged
		out.Note = fmt.Sprintf("branch %s has commits that wrapup did not make: it is left as it is (wrapup never force-pushes); update it by hand or delete the branch and rerun", out.Branch)
		if pr != nil {
			out.Number, out.URL = pr.GetNumber(), pr.GetHTMLURL()
		}
		return out, nil
	}
	if state == "" {
		// The base already holds these bytes and there is no branch:
		// nothing to propose.
		out.State, out.Note = StateUnchanged, fmt.Sprintf("%s already holds these documents: no pull request needed", p.base)
		return out, nil
	}
	out.State = state
	ask := false
	if pr == nil {
		if pr, err = p.openPull(ctx, doc, out.Branch); err != nil {
			return out, err
		}
		out.State, ask = StateOpened, len(pr.RequestedReviewers) == 0
	} else if pr.GetBody() != doc.Body || pr.GetTitle() != doc.Title {
		if _, _, err := p.client.PullRequests.Edit(ctx, p.owner, p.repo, pr.GetNumber(), &gh.PullRequest{Title: gh.String(doc.Title), Body: gh.String(doc.Body)}); err != nil {
			return out, fmt.Errorf("publish: update pull request #%d: %w", pr.GetNumber(), err)
		}
	}
	out.Number, out.URL = pr.GetNumber(), pr.GetHTMLURL()
	if len(doc.Reviewers) > 0 && !ask && len(pr.RequestedReviewers) == 0 {
		// A run that died between opening the pull request and asking
		// for reviews: ask now, unless someone has reviewed already
		// (a review takes its author off the requested list).
		reviews, _, err := p.client.PullRequests.ListReviews(ctx, p.owner, p.repo, pr.GetNumber(), &gh.ListOptions{PerPage: 1})
		ask = err == nil && len(reviews) == 0
	}
	if len(doc.Reviewers) > 0 && ask {
		out.Reviewers, out.Note = p.requestReviewers(ctx, pr, doc.Reviewers)
	}
	return out, nil
}

// errRaced says the branch appeared between the look and the create.
var errRaced = errors.New("publish: the branch was created meanwhile")

// findPull finds the pull request of the head branch: an open one first,
// else the latest.
func (p *Publisher) findPull(ctx context.Context, branch string) (*gh.PullRequest, error) {
	prs, _, err := p.client.PullRequests.List(ctx, p.owner, p.repo, &gh.PullRequestListOptions{
		State: "all", Head: p.owner + ":" + branch, ListOptions: gh.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, fmt.Errorf("publish: list pull requests of %s in %s/%s: %w", branch, p.owner, p.repo, err)
	}
	var found *gh.PullRequest
	for _, pr := range prs {
		if pr.GetHead().GetRef() != branch {
			continue
		}
		if pr.GetState() == "open" {
			return pr, nil
		}
		if found == nil || pr.GetNumber() > found.GetNumber() {
			found = pr
		}
	}
	return found, nil
}

// push makes the branch hold want, with one commit when a byte differs.
// It returns the state (updated, unchanged, diverged, or "" when there is
// no branch and the base already holds want) and the branch's head.
func (p *Publisher) push(ctx context.Context, doc Document, branch string, want map[string][]byte) (string, string, error) {
	baseRef, err := p.ref(ctx, p.base)
	if err != nil {
		return "", "", err
	}
	if baseRef == "" {
		return "", "", fmt.Errorf("publish.github.base: %s/%s has no branch %q", p.owner, p.repo, p.base)
	}
	head, err := p.ref(ctx, branch)
	if err != nil {
		return "", "", err
	}
	parent := baseRef
	if head != "" {
		parent = head
	}
	pc, _, err := p.client.Git.GetCommit(ctx, p.owner, p.repo, parent)
	if err != nil {
		return "", "", fmt.Errorf("publish: read commit %s: %w", parent, err)
	}
	if head != "" && !ours(pc, doc.Folder) {
		return StateDiverged, head, nil
	}
	tree, _, err := p.client.Git.GetTree(ctx, p.owner, p.repo, pc.GetTree().GetSHA(), true)
	if err != nil {
		return "", "", fmt.Errorf("publish: read tree of %s: %w", parent, err)
	}
	have := map[string]string{}
	for _, e := range tree.Entries {
		if e.GetType() == "blob" {
			have[e.GetPath()] = e.GetSHA()
		}
	}
	if tree.GetTruncated() {
		// Too big to list whole: read the few paths one by one.
		have = map[string]string{}
		for pth := range want {
			if sha, err := p.blobAt(ctx, parent, pth); err != nil {
				return "", "", err
			} else if sha != "" {
				have[pth] = sha
			}
		}
	}
	paths := make([]string, 0, len(want))
	for pth := range want {
		paths = append(paths, pth)
	}
	slices.Sort(paths)
	var entries []*gh.TreeEntry
	for _, pth := range paths {
		sha := BlobSHA(want[pth])
		if have[pth] == sha {
			continue
		}
		b, _, err := p.client.Git.CreateBlob(ctx, p.owner, p.repo, &gh.Blob{Content: gh.String(b64(want[pth])), Encoding: gh.String("base64")})
		if err != nil {
			return "", "", fmt.Errorf("publish: upload %s: %w", pth, err)
		}
		if b.GetSHA() != sha {
			return "", "", fmt.Errorf("publish: upload %s: GitHub stored blob %s, want %s", pth, b.GetSHA(), sha)
		}
		entries = append(entries, &gh.TreeEntry{Path: gh.String(pth), Mode: gh.String("100644"), Type: gh.String("blob"), SHA: gh.String(sha)})
	}
	if len(entries) == 0 {
		if head == "" {
			return "", "", nil
		}
		return StateUnchanged, head, nil
	}
	nt, _, err := p.client.Git.CreateTree(ctx, p.owner, p.repo, pc.GetTree().GetSHA(), entries)
	if err != nil {
		return "", "", fmt.Errorf("publish: create tree: %w", err)
	}
	msg := "Postmortem: " + oneLine(doc.Title) + "\n\n" + trailer + doc.Folder + "\n"
	c, _, err := p.client.Git.CreateCommit(ctx, p.owner, p.repo, &gh.Commit{Message: gh.String(msg), Tree: &gh.Tree{SHA: nt.SHA},
		Parents: []*gh.Commit{{SHA: gh.String(parent)}},
		Author:  &gh.CommitAuthor{Name: gh.String(Author), Email: gh.String("wrapup@users.noreply.github.com")}}, nil)
	if err != nil {
		return "", "", fmt.Errorf("publish: create commit: %w", err)
	}
	ref := &gh.Reference{Ref: gh.String("refs/heads/" + branch), Object: &gh.GitObject{SHA: c.SHA}}
	if head == "" {
		if _, _, err := p.client.Git.CreateRef(ctx, p.owner, p.repo, ref); err != nil {
			if status(err) == http.StatusUnprocessableEntity && strings.Contains(err.Error(), "already exists") {
				return "", "", errRaced
			}
			return "", "", fmt.Errorf("publish: create branch %s: %w", branch, err)
		}
		return StateUpdated, c.GetSHA(), nil
	}
	// Never forced: a push that landed since the look makes this a 422
	// "Update is not a fast forward" (what GitHub answers, recorded), and
	// the branch is left to its author. "Update a reference" also
	// documents a 409 Conflict: taken the same way, as the refusal of a
	// branch that moved.
	if _, _, err := p.client.Git.UpdateRef(ctx, p.owner, p.repo, ref, false); err != nil {
		if st := status(err); st == http.StatusConflict ||
			(st == http.StatusUnprocessableEntity && strings.Contains(err.Error(), "fast forward")) {
			return StateDiverged, head, nil
		}
		return "", "", fmt.Errorf("publish: move branch %s: %w", branch, err)
	}
	return StateUpdated, c.GetSHA(), nil
}

// blobAt returns the blob sha of a path in a commit, "" when absent.
func (p *Publisher) blobAt(ctx context.Context, commit, pth string) (string, error) {
	fc, _, _, err := p.client.Repositories.GetContents(ctx, p.owner, p.repo, pth, &gh.RepositoryContentGetOptions{Ref: commit})
	if status(err) == http.StatusNotFound {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("publish: read %s: %w", pth, err)
	}
	return fc.GetSHA(), nil
}

// ref returns the commit a branch points at, "" when there is none.
func (p *Publisher) ref(ctx context.Context, branch string) (string, error) {
	r, _, err := p.client.Git.GetRef(ctx, p.owner, p.repo, "heads/"+branch)
	if status(err) == http.StatusNotFound {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("publish: read branch %s of %s/%s: %w", branch, p.owner, p.repo, err)
	}
	return r.GetObject().GetSHA(), nil
}

// ours reports whether a commit is wrapup's for this folder.
func ours(c *gh.Commit, folder string) bool {
	return c.GetAuthor().GetName() == Author && slices.Contains(strings.Split(c.GetMessage(), "\n"), trailer+folder)
}

// openPull opens the pull request; one that exists already (a create
// whose answer was lost) is found again instead.
func (p *Publisher) openPull(ctx context.Context, doc Document, branch string) (*gh.PullRequest, error) {
	pr, _, err := p.client.PullRequests.Create(ctx, p.owner, p.repo, &gh.NewPullRequest{
		Title: gh.String(doc.Title), Head: gh.String(branch), Base: gh.String(p.base), Body: gh.String(doc.Body)})
	if err == nil {
		return pr, nil
	}
	if status(err) == http.StatusUnprocessableEntity && strings.Contains(err.Error(), "already exists") {
		if found, ferr := p.findPull(ctx, branch); ferr == nil && found != nil {
			return found, nil
		}
	}
	return nil, fmt.Errorf("publish: open pull request %s -> %s: %w", branch, p.base, err)
}

// requestReviewers asks for reviews, one login at a time when GitHub
// refuses the lot, so that one login it refuses (not a collaborator, the
// token's own user) does not keep the others from being asked.
func (p *Publisher) requestReviewers(ctx context.Context, pr *gh.PullRequest, logins []string) ([]string, string) {
	_, _, err := p.client.PullRequests.RequestReviewers(ctx, p.owner, p.repo, pr.GetNumber(), gh.ReviewersRequest{Reviewers: logins})
	if err == nil {
		return logins, ""
	}
	var asked, refused []string
	for _, l := range logins {
		if _, _, err := p.client.PullRequests.RequestReviewers(ctx, p.owner, p.repo, pr.GetNumber(), gh.ReviewersRequest{Reviewers: []string{l}}); err != nil {
			refused = append(refused, l)
			continue
		}
		asked = append(asked, l)
	}
	if len(refused) == 0 {
		return asked, ""
	}
	return asked, fmt.Sprintf("GitHub refused to ask %s to review pull request #%d (reviewers must be collaborators, and not the token's own user)", strings.Join(refused, ", "), pr.GetNumber())
}

// BlobSHA is git's object id of a blob: what GitHub names it by.
func BlobSHA(b []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(b))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func status(err error) int {
	var e *gh.ErrorResponse
	if errors.As(err, &e) && e.Response != nil {
		return e.Response.StatusCode
	}
	return 0
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// ReadBase returns a file of the base branch, by path in the repository:
// one contents call, and a blob read for a file past the 1 MB the
// contents API returns inline. nil, nil when the file is not there.
func (p *Publisher) ReadBase(ctx context.Context, pth string) ([]byte, error) {
	fc, _, _, err := p.client.Repositories.GetContents(ctx, p.owner, p.repo, pth, &gh.RepositoryContentGetOptions{Ref: p.base})
	if status(err) == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("publish: read %s on %s: %w", pth, p.base, err)
	}
	if fc == nil {
		return nil, fmt.Errorf("publish: %s on %s is a folder, not a file", pth, p.base)
	}
	if fc.GetEncoding() == "none" {
		b, _, err := p.client.Git.GetBlob(ctx, p.owner, p.repo, fc.GetSHA())
		if err != nil {
			return nil, fmt.Errorf("publish: read %s on %s: %w", pth, p.base, err)
		}
		return base64.StdEncoding.DecodeString(strings.ReplaceAll(b.GetContent(), "\n", ""))
	}
	s, err := fc.GetContent()
	if err != nil {
		return nil, fmt.Errorf("publish: read %s on %s: %w", pth, p.base, err)
	}
	return []byte(s), nil
}

// Dir is publish.github.dir, the folder of the incident folders.
func (p *Publisher) Dir() string { return p.dir }
