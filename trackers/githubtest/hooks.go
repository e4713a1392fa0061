package githubtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// registerHooks serves what people do on GitHub, for testscripts and
// users' CI, on the admin API:
//
//	POST /_emulator/github/merge {"repo": "acme/postmortems", "number": 1}
//	POST /_emulator/github/close {"repo": "acme/postmortems", "number": 1}
//	POST /_emulator/github/push  {"repo": "acme/postmortems", "branch": "wrapup/x",
//	                              "author": "alice", "files": {"path": "content", "gone.md": null}}
//
// merge and close answer {"number", "state"}; push answers {"sha"}.
func (s *Server) registerHooks() {
	type pullRef struct {
		Repo   string `json:"repo"`
		Number int    `json:"number"`
	}
	pull := func(body []byte) (pullRef, error) {
		var p pullRef
		if err := decodeStrict(body, &p); err != nil {
			return p, err
		}
		if p.Repo == "" || p.Number <= 0 {
			return p, errors.New(`want {"repo": "owner/name", "number": N}`)
		}
		return p, nil
	}
	for _, a := range []struct {
		action, state string
		do            func(repo string, number int) error
	}{{"merge", "merged", s.MergePull}, {"close", "closed", s.ClosePull}} {
		s.admin.RegisterAction("github", a.action, func(body []byte) (any, error) {
			p, err := pull(body)
			if err != nil {
				return nil, err
			}
			if err := a.do(p.Repo, p.Number); err != nil {
				return nil, err
			}
			return map[string]any{"number": p.Number, "state": a.state}, nil
		})
	}
	s.admin.RegisterAction("github", "push", func(body []byte) (any, error) {
		var p struct {
			Repo   string             `json:"repo"`
			Branch string             `json:"branch"`
			Author string             `json:"author"`
			Files  map[string]*string `json:"files"`
		}
		if err := decodeStrict(body, &p); err != nil {
			return nil, err
		}
		if p.Repo == "" || p.Branch == "" || p.Author == "" || len(p.Files) == 0 {
			return nil, errors.New(`want {"repo": "owner/name", "branch": "name", "author": "login", "files": {"path": "content" or null}}`)
		}
		files := map[string][]byte{}
		for path, c := range p.Files {
			files[path] = nil
			if c != nil {
				files[path] = []byte(*c)
			}
		}
		sha, err := s.PushCommit(p.Repo, p.Branch, p.Author, files)
		if err != nil {
			return nil, err
		}
		return map[string]string{"sha": sha}, nil
	})
}

// decodeStrict decodes one JSON object with no unknown fields.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON: %w", err)
	}
	if dec.More() {
		return errors.New("bad JSON: more than one value")
	}
	return nil
}
