package githubtest

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
)

// The Git data API: blobs, trees, commits and refs, with SHA-1s computed
// as git computes them, so that a client may compare a blob SHA it
// computed itself with the one the server holds.

const (
	refsDoc    = "https://docs.github.com/rest/git/refs#update-a-reference"
	refsNewDoc = "https://docs.github.com/rest/git/refs#create-a-reference"
	blobsDoc   = "https://docs.github.com/rest/git/blobs#create-a-blob"
	treesDoc   = "https://docs.github.com/rest/git/trees#create-a-tree"
	commitDoc  = "https://docs.github.com/rest/git/commits#create-a-commit"
)

// gitStore is one repository's object database and refs.
type gitStore struct {
	blobs   map[string][]byte
	trees   map[string]map[string]string // tree sha -> path -> blob sha (every file under it)
	commits map[string]*gitCommit
	refs    map[string]string // "refs/heads/main" -> commit sha
}

type gitCommit struct {
	SHA     string
	Tree    string
	Parents []string
	Message string
	Author  Signature
}

// Signature is a commit's author or committer.
type Signature struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Date  string `json:"date,omitempty"`
}

func newGitStore(now time.Time) *gitStore {
	g := &gitStore{blobs: map[string][]byte{}, trees: map[string]map[string]string{}, commits: map[string]*gitCommit{}, refs: map[string]string{}}
	readme := g.putBlob([]byte("# Postmortems\n"))
	tree := g.putTree(map[string]string{"README.md": readme})
	c := g.putCommit(tree, nil, "Initial commit", Signature{Name: "Octo Cat", Email: "octocat@example.com", Date: ghTime(now)})
	g.refs["refs/heads/main"] = c
	return g
}

// GitBlobSHA is git's object id of a blob with the given content.
func GitBlobSHA(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

func (g *gitStore) putBlob(b []byte) string {
	sha := GitBlobSHA(b)
	g.blobs[sha] = slices.Clone(b)
	return sha
}

// putTree stores the tree of the files (path -> blob sha) and returns its
// sha, computed as git does, directory by directory.
func (g *gitStore) putTree(files map[string]string) string {
	sha := treeSHA(files)
	g.trees[sha] = files
	return sha
}

func treeSHA(files map[string]string) string {
	type entry struct {
		name, mode string
		sha        []byte
	}
	var entries []entry
	dirs := map[string]map[string]string{}
	for p, sha := range files {
		if dir, rest, ok := strings.Cut(p, "/"); ok {
			if dirs[dir] == nil {
				dirs[dir] = map[string]string{}
			}
			dirs[dir][rest] = sha
			continue
		}
		raw, _ := hex.DecodeString(sha)
		entries = append(entries, entry{p, "100644", raw})
	}
	for d, sub := range dirs {
		raw, _ := hex.DecodeString(treeSHA(sub))
		entries = append(entries, entry{d, "40000", raw})
	}
	// git sorts a tree's entries by name, a directory's as if it ended in "/".
	key := func(e entry) string {
		if e.mode == "40000" {
			return e.name + "/"
		}
		return e.name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	var body []byte
	for _, e := range entries {
		body = append(body, e.mode+" "+e.name+"\x00"...)
		body = append(body, e.sha...)
	}
	h := sha1.New()
	fmt.Fprintf(h, "tree %d\x00", len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (g *gitStore) putCommit(tree string, parents []string, msg string, author Signature) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	fmt.Fprintf(&b, "author %s <%s> %s\ncommitter %s <%s> %s\n\n%s", author.Name, author.Email, author.Date, author.Name, author.Email, author.Date, msg)
	h := sha1.New()
	fmt.Fprintf(h, "commit %d\x00", b.Len())
	h.Write([]byte(b.String()))
	sha := hex.EncodeToString(h.Sum(nil))
	g.commits[sha] = &gitCommit{SHA: sha, Tree: tree, Parents: slices.Clone(parents), Message: msg, Author: author}
	return sha
}

// ancestor reports whether commit a is b or one of b's ancestors.
func (g *gitStore) ancestor(a, b string) bool {
	seen := map[string]bool{}
	queue := []string{b}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == a {
			return true
		}
		if seen[c] || g.commits[c] == nil {
			continue
		}
		seen[c] = true
		queue = append(queue, g.commits[c].Parents...)
	}
	return false
}

// files returns the files (path -> content) of the commit's tree.
func (g *gitStore) files(commit string) map[string][]byte {
	c := g.commits[commit]
	if c == nil {
		return nil
	}
	out := map[string][]byte{}
	for p, sha := range g.trees[c.Tree] {
		out[p] = g.blobs[sha]
	}
	return out
}

// git returns the repository's store, made on first use.
func (s *Server) git(rp *repo) *gitStore {
	if rp.git == nil {
		rp.git = newGitStore(s.opts.Now().Add(-24 * time.Hour).Truncate(time.Second))
	}
	return rp.git
}

func (s *Server) createBlob(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Content  *string `json:"content"`
		Encoding string  `json:"encoding"`
	}
	if !readBody(w, r, 100<<20, blobsDoc, &body) {
		return
	}
	if body.Content == nil {
		validationFailed(w, blobsDoc, fieldError{Resource: "Blob", Code: "missing_field", Field: "content"})
		return
	}
	data := []byte(*body.Content)
	switch body.Encoding {
	case "", "utf-8":
	case "base64":
		var err error
		if data, err = base64.StdEncoding.DecodeString(*body.Content); err != nil {
			validationFailed(w, blobsDoc, fieldError{Resource: "Blob", Code: "invalid", Field: "content"})
			return
		}
	default:
		validationFailed(w, blobsDoc, fieldError{Value: body.Encoding, Resource: "Blob", Code: "invalid", Field: "encoding"})
		return
	}
	s.mu.Lock()
	sha := s.git(rp).putBlob(data)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"sha": sha, "url": base + "/repos/" + rp.name + "/git/blobs/" + sha})
}

func (s *Server) getBlob(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	sha := r.PathValue("sha")
	s.mu.Lock()
	b, ok := s.git(rp).blobs[sha]
	s.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sha": sha, "node_id": "B_" + sha[:12], "size": len(b),
		"url": base + "/repos/" + rp.name + "/git/blobs/" + sha, "content": base64.StdEncoding.EncodeToString(b), "encoding": "base64"})
}

func (s *Server) createTree(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		BaseTree string `json:"base_tree"`
		Tree     []struct {
			Path    string  `json:"path"`
			Mode    string  `json:"mode"`
			Type    string  `json:"type"`
			SHA     *string `json:"sha"`
			Content *string `json:"content"`
		} `json:"tree"`
	}
	if !readBody(w, r, 100<<20, treesDoc, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.git(rp)
	files := map[string]string{}
	if body.BaseTree != "" {
		bt, ok := g.trees[body.BaseTree]
		if !ok {
			validationFailed(w, treesDoc, fieldError{Resource: "Tree", Code: "invalid", Field: "base_tree", Message: "base_tree is not a valid tree oid"})
			return
		}
		for p, sha := range bt {
			files[p] = sha
		}
	}
	for _, e := range body.Tree {
		clean := path.Clean(e.Path)
		if e.Path == "" || clean != e.Path || strings.HasPrefix(clean, "/") || clean == ".." || strings.HasPrefix(clean, "../") {
			validationFailed(w, treesDoc, fieldError{Value: e.Path, Resource: "Tree", Code: "invalid", Field: "path"})
			return
		}
		if e.Type != "blob" || (e.Mode != "100644" && e.Mode != "100755") {
			validationFailed(w, treesDoc, fieldError{Value: e.Type + " " + e.Mode, Resource: "Tree", Code: "invalid", Field: "tree.mode"})
			return
		}
		switch {
		case e.SHA == nil && e.Content == nil:
			// An entry with neither deletes the path (go-github's
			// treeEntryWithFileDelete sends "sha": null).
			delete(files, e.Path)
		case e.Content != nil:
			files[e.Path] = g.putBlob([]byte(*e.Content))
		default:
			if _, ok := g.blobs[*e.SHA]; !ok {
				validationFailed(w, treesDoc, fieldError{Value: *e.SHA, Resource: "Tree", Code: "invalid", Field: "tree.sha", Message: "tree.sha " + *e.SHA + " is not a valid blob"})
				return
			}
			files[e.Path] = *e.SHA
		}
	}
	sha := g.putTree(files)
	writeJSON(w, http.StatusCreated, treeJSON(g, rp, base, sha, true))
}

// treeJSON lists a tree: its top level, or every entry when recursive.
func treeJSON(g *gitStore, rp *repo, base, sha string, recursive bool) map[string]any {
	files := g.trees[sha]
	entries := []map[string]any{}
	dirs := map[string]bool{}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	for d := range dirs {
		paths = append(paths, d+"/")
	}
	sort.Strings(paths)
	for _, p := range paths {
		if d, ok := strings.CutSuffix(p, "/"); ok {
			if !recursive && strings.Contains(d, "/") {
				continue
			}
			sub := map[string]string{}
			for fp, fs := range files {
				if rest, ok := strings.CutPrefix(fp, d+"/"); ok {
					sub[rest] = fs
				}
			}
			ts := g.putTree(sub)
			entries = append(entries, map[string]any{"path": d, "mode": "040000", "type": "tree", "sha": ts,
				"url": base + "/repos/" + rp.name + "/git/trees/" + ts})
			continue
		}
		if !recursive && strings.Contains(p, "/") {
			continue
		}
		bs := files[p]
		entries = append(entries, map[string]any{"path": p, "mode": "100644", "type": "blob", "sha": bs,
			"size": len(g.blobs[bs]), "url": base + "/repos/" + rp.name + "/git/blobs/" + bs})
	}
	return map[string]any{"sha": sha, "url": base + "/repos/" + rp.name + "/git/trees/" + sha, "tree": entries, "truncated": false}
}

func (s *Server) getTree(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	sha := r.PathValue("sha")
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.git(rp)
	if c, ok := g.commits[sha]; ok {
		sha = c.Tree // GitHub takes a commit (or a ref) for a tree
	}
	if _, ok := g.trees[sha]; !ok {
		notFound(w)
		return
	}
	rec := r.URL.Query().Get("recursive")
	writeJSON(w, http.StatusOK, treeJSON(g, rp, base, sha, rec != "" && rec != "0" && rec != "false"))
}

func commitJSON(c *gitCommit, rp *repo, base string) map[string]any {
	web := strings.TrimSuffix(base, "/api/v3")
	parents := []map[string]any{}
	for _, p := range c.Parents {
		parents = append(parents, map[string]any{"sha": p, "url": base + "/repos/" + rp.name + "/git/commits/" + p,
			"html_url": web + "/" + rp.name + "/commit/" + p})
	}
	return map[string]any{
		"sha": c.SHA, "node_id": "C_" + c.SHA[:12], "url": base + "/repos/" + rp.name + "/git/commits/" + c.SHA,
		"html_url": web + "/" + rp.name + "/commit/" + c.SHA,
		"author":   c.Author, "committer": c.Author, "message": c.Message,
		"tree":         map[string]any{"sha": c.Tree, "url": base + "/repos/" + rp.name + "/git/trees/" + c.Tree},
		"parents":      parents,
		"verification": map[string]any{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil},
	}
}

func (s *Server) createCommit(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Message *string    `json:"message"`
		Tree    *string    `json:"tree"`
		Parents []string   `json:"parents"`
		Author  *Signature `json:"author"`
	}
	if !readBody(w, r, 1<<20, commitDoc, &body) {
		return
	}
	if body.Message == nil {
		validationFailed(w, commitDoc, fieldError{Resource: "Commit", Code: "missing_field", Field: "message"})
		return
	}
	if body.Tree == nil {
		validationFailed(w, commitDoc, fieldError{Resource: "Commit", Code: "missing_field", Field: "tree"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.git(rp)
	if _, ok := g.trees[*body.Tree]; !ok {
		validationFailed(w, commitDoc, fieldError{Value: *body.Tree, Resource: "Commit", Code: "invalid", Field: "tree", Message: "Tree SHA does not exist"})
		return
	}
	for _, p := range body.Parents {
		if g.commits[p] == nil {
			validationFailed(w, commitDoc, fieldError{Value: p, Resource: "Commit", Code: "invalid", Field: "parents", Message: "Parent SHA does not exist or is not a commit object"})
			return
		}
	}
	// Without an author, GitHub uses the token's user and the time now.
	author := Signature{Name: botLogin, Email: botLogin + "@users.noreply.github.com"}
	if body.Author != nil {
		author = *body.Author
	}
	if author.Date == "" {
		author.Date = ghTime(s.opts.Now())
	}
	sha := g.putCommit(*body.Tree, body.Parents, *body.Message, author)
	writeJSON(w, http.StatusCreated, commitJSON(g.commits[sha], rp, base))
}

func (s *Server) getCommit(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	s.mu.Lock()
	c := s.git(rp).commits[r.PathValue("sha")]
	s.mu.Unlock()
	if c == nil {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, commitJSON(c, rp, base))
}

func refJSON(rp *repo, base, ref, sha string) map[string]any {
	return map[string]any{"ref": ref, "node_id": "REF_" + sha[:12], "url": base + "/repos/" + rp.name + "/git/" + ref,
		"object": map[string]any{"sha": sha, "type": "commit", "url": base + "/repos/" + rp.name + "/git/commits/" + sha}}
}

// getRef serves GET /repos/{owner}/{repo}/git/ref/{ref}: one ref, or 404.
func (s *Server) getRef(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	ref := "refs/" + r.PathValue("ref")
	s.mu.Lock()
	sha, ok := s.git(rp).refs[ref]
	s.mu.Unlock()
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, refJSON(rp, base, ref, sha))
}

// createRef serves POST /repos/{owner}/{repo}/git/refs: 422 "Reference
// already exists" for a ref that does.
func (s *Server) createRef(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if !readBody(w, r, 1<<20, refsNewDoc, &body) {
		return
	}
	// "If it doesn't start with 'refs' and have at least two slashes, it
	// will be rejected." (Create a reference)
	if !strings.HasPrefix(body.Ref, "refs/") || strings.Count(body.Ref, "/") < 2 {
		writeJSON(w, http.StatusUnprocessableEntity, errBody("Reference name must start with 'refs/' and have at least two slashes.", refsNewDoc))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.git(rp)
	if g.commits[body.SHA] == nil {
		writeJSON(w, http.StatusUnprocessableEntity, errBody("Object does not exist", refsNewDoc))
		return
	}
	if _, ok := g.refs[body.Ref]; ok {
		writeJSON(w, http.StatusUnprocessableEntity, errBody("Reference already exists", refsNewDoc))
		return
	}
	g.refs[body.Ref] = body.SHA
	writeJSON(w, http.StatusCreated, refJSON(rp, base, body.Ref, body.SHA))
}

// updateRef serves PATCH /repos/{owner}/{repo}/git/refs/{ref}. Without
// force, an update that is not a fast-forward is refused with 422 "Update
// is not a fast forward", as GitHub answers it (a recorded answer:
// "PATCH .../git/refs/heads/master Status: 422", webspace-sdk/webspace-engine#104;
// octokit.js#21 shows the same message), not 409.
func (s *Server) updateRef(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	var body struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}
	if !readBody(w, r, 1<<20, refsDoc, &body) {
		return
	}
	ref := "refs/" + r.PathValue("ref")
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.git(rp)
	old, ok := g.refs[ref]
	switch {
	case !ok:
		writeJSON(w, http.StatusUnprocessableEntity, errBody("Reference does not exist", refsDoc))
		return
	case g.commits[body.SHA] == nil:
		writeJSON(w, http.StatusUnprocessableEntity, errBody("Object does not exist", refsDoc))
		return
	case !body.Force && !g.ancestor(old, body.SHA):
		writeJSON(w, http.StatusUnprocessableEntity, errBody("Update is not a fast forward", refsDoc))
		return
	}
	g.refs[ref] = body.SHA
	writeJSON(w, http.StatusOK, refJSON(rp, base, ref, body.SHA))
}

// PushCommit commits files (path -> content, nil deletes) on top of
// branch as author, as a person pushing to it would, and moves the
// branch; it returns the commit's sha.
func (s *Server) PushCommit(repoName, branch, author string, files map[string][]byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[strings.ToLower(repoName)]
	if rp == nil {
		return "", fmt.Errorf("no repository %s", repoName)
	}
	g := s.git(rp)
	head, ok := g.refs["refs/heads/"+branch]
	if !ok {
		return "", fmt.Errorf("%s has no branch %s", repoName, branch)
	}
	tree := map[string]string{}
	for p, sha := range g.trees[g.commits[head].Tree] {
		tree[p] = sha
	}
	for p, b := range files {
		if b == nil {
			delete(tree, p)
			continue
		}
		tree[p] = g.putBlob(b)
	}
	sig := Signature{Name: author, Email: strings.ToLower(author) + "@example.com", Date: ghTime(s.opts.Now())}
	sha := g.putCommit(g.putTree(tree), []string{head}, "Edit by "+author, sig)
	g.refs["refs/heads/"+branch] = sha
	return sha, nil
}

// Branch returns the commit a branch points at, and its files' contents.
func (s *Server) Branch(repoName, branch string) (string, map[string][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[strings.ToLower(repoName)]
	if rp == nil {
		return "", nil
	}
	g := s.git(rp)
	sha, ok := g.refs["refs/heads/"+branch]
	if !ok {
		return "", nil
	}
	return sha, g.files(sha)
}

// Branches lists the repository's branches.
func (s *Server) Branches(repoName string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[strings.ToLower(repoName)]
	if rp == nil {
		return nil
	}
	var out []string
	for ref := range s.git(rp).refs {
		if b, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
			out = append(out, b)
		}
	}
	slices.Sort(out)
	return out
}

// CommitCount counts the commits on branch (following first parents).
func (s *Server) CommitCount(repoName, branch string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[strings.ToLower(repoName)]
	if rp == nil {
		return 0
	}
	g := s.git(rp)
	n := 0
	for c := g.refs["refs/heads/"+branch]; c != "" && g.commits[c] != nil; n++ {
		p := g.commits[c].Parents
		if len(p) == 0 {
			return n + 1
		}
		c = p[0]
	}
	return n
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
