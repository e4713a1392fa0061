package githubtest

import (
	"encoding/base64"
	"net/http"
	"path"
	"strings"
)

// contentsMax is the largest file whose content "Get repository content"
// returns: "Between 1-100 MB: Only the raw or object custom media types
// are supported. Both will work as normal, except that when using the
// object media type, the content field will be an empty string and the
// encoding field will be "none"." (GitHub REST docs, Repository contents).
const contentsMax = 1 << 20

// getContents serves GET /repos/{owner}/{repo}/contents/{path}?ref=: a
// file of the branch (or commit) ref, the default branch without one, as
// the object GitHub answers: its content base64 in lines of 60
// characters, or "" with encoding "none" past 1 MB. A path that is not a
// file, or a ref that does not exist, is a 404 (folders are not listed:
// wrapup never asks for one).
func (s *Server) getContents(w http.ResponseWriter, r *http.Request, rp *repo, base string) {
	p := r.PathValue("path")
	ref := r.URL.Query().Get("ref")
	if ref == "" {
		ref = "main"
	}
	s.mu.Lock()
	g := s.git(rp)
	commit, ok := g.refs["refs/heads/"+strings.TrimPrefix(ref, "refs/heads/")]
	if !ok && g.commits[ref] != nil {
		commit, ok = ref, true
	}
	var data []byte
	var sha string
	if ok {
		sha = g.trees[g.commits[commit].Tree][p]
		data = g.blobs[sha]
	}
	s.mu.Unlock()
	if sha == "" {
		notFound(w)
		return
	}
	content, encoding := "", "none"
	if len(data) <= contentsMax {
		enc := base64.StdEncoding.EncodeToString(data)
		var b strings.Builder
		for len(enc) > 60 {
			b.WriteString(enc[:60] + "\n")
			enc = enc[60:]
		}
		b.WriteString(enc + "\n")
		content, encoding = b.String(), "base64"
	}
	web := strings.TrimSuffix(base, "/api/v3")
	api := base + "/repos/" + rp.name + "/contents/" + p + "?ref=" + ref
	writeJSON(w, http.StatusOK, map[string]any{"type": "file", "encoding": encoding, "size": len(data), "name": path.Base(p),
		"path": p, "content": content, "sha": sha, "url": api,
		"git_url":      base + "/repos/" + rp.name + "/git/blobs/" + sha,
		"html_url":     web + "/" + rp.name + "/blob/" + ref + "/" + p,
		"download_url": web + "/raw/" + rp.name + "/" + ref + "/" + p,
		"_links":       map[string]string{"self": api, "git": base + "/repos/" + rp.name + "/git/blobs/" + sha, "html": web + "/" + rp.name + "/blob/" + ref + "/" + p}})
}
