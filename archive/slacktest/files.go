package slacktest

import (
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wrapup/wrapup/internal/emulator"
)

// serveFile serves /files-pri/<TEAM>-<FILE>/[download/]<name> as
// files.slack.com does: with a Bearer token that may read files, the bytes;
// without one, a redirect to the sign-in page.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	call := emulator.Call{Service: "slack", Method: r.Method, HTTPMethod: r.Method, Path: r.URL.Path}
	if f := s.admin.Begin(call); f != nil {
		if err := f.Wait(r.Context()); err != nil {
			return
		}
		if f.Truncate {
			t := emulator.NewTruncator(w)
			s.sendFile(t, r)
			t.Finish()
			return
		}
		if s.injectFault(w, f, call) {
			return
		}
	}
	s.sendFile(w, r)
}

func (s *Server) sendFile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if tok, code := s.identity(bearer(r)); code != "" || !tok.has("files:read") {
		http.Redirect(w, r, "/signin?redir="+url.QueryEscape(r.URL.Path), http.StatusFound)
		return
	}
	rest := strings.TrimPrefix(r.URL.Path, "/files-pri/")
	teamFile, _, _ := strings.Cut(rest, "/")
	id, ok := strings.CutPrefix(teamFile, s.opts.TeamID+"-")
	s.mu.RLock()
	f, found := s.files[id]
	s.mu.RUnlock()
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	ct := f.mimetype
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	size := f.size
	if f.content != nil {
		size = int64(len(f.content))
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if f.content != nil {
		_, _ = w.Write(f.content)
		return
	}
	_, _ = io.Copy(w, io.LimitReader(placeholder(f.id), size))
}

// placeholder returns an endless stream of bytes determined by the file
// ID, standing in for a file whose bytes the source did not keep: the same
// file always downloads the same bytes.
func placeholder(id string) io.Reader {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	seed := h.Sum64()
	return &prngReader{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

type prngReader struct{ r *rand.Rand }

func (p *prngReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte(p.r.Uint32())
	}
	return len(b), nil
}

// Placeholder returns the bytes the emulator serves for a file with the
// given ID and size whose content it does not have, so that tests can
// check a download.
func Placeholder(fileID string, size int) []byte {
	b := make([]byte, size)
	_, _ = io.ReadFull(placeholder(fileID), b)
	return b
}
