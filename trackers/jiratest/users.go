package jiratest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// userJSON renders the user with the given accountId or name, or null.
func (s *Server) userJSON(r *http.Request, id string) any {
	if id == "" {
		return nil
	}
	for _, u := range s.opts.Users {
		if id == u.AccountID || id == u.Name {
			return s.renderUser(r, u)
		}
	}
	return nil
}

func (s *Server) renderUser(r *http.Request, u User) map[string]any {
	base := s.base(r)
	v := map[string]any{
		"displayName": u.DisplayName,
		"active":      true,
		"timeZone":    "Etc/UTC",
		"avatarUrls":  map[string]string{"48x48": base + "/avatar/48.png", "24x24": base + "/avatar/24.png", "16x16": base + "/avatar/16.png", "32x32": base + "/avatar/32.png"},
	}
	if !u.EmailHidden || s.opts.Deployment != Cloud || s.isCaller(r, u) {
		v["emailAddress"] = u.Email
	}
	if s.opts.Deployment == Cloud {
		v["self"] = base + "/rest/api/2/user?accountId=" + url.QueryEscape(u.AccountID)
		v["accountId"] = u.AccountID
		v["accountType"] = "atlassian"
		v["locale"] = "en_US"
	} else {
		v["self"] = base + "/rest/api/2/user?username=" + url.QueryEscape(u.Name)
		v["key"] = u.Name
		v["name"] = u.Name
		v["deleted"] = false
		v["locale"] = "en_US"
	}
	return v
}

// userSearch serves /rest/api/2/user/search: Cloud takes query=, Data
// Center username=; both match e-mail, display name and (on Data Center)
// name, case-insensitively, by prefix.
func (s *Server) userSearch(w http.ResponseWriter, r *http.Request) {
	param := "query"
	if s.opts.Deployment != Cloud {
		param = "username"
	}
	q := strings.ToLower(r.URL.Query().Get(param))
	if q == "" {
		writeError(w, http.StatusBadRequest, []string{"The query parameter '" + param + "' is required."}, nil)
		return
	}
	out := []map[string]any{}
	for _, u := range s.opts.Users {
		name := u.Name
		if s.opts.Deployment == Cloud {
			name = ""
		}
		// The query matches the e-mail even where the answer hides it:
		// "privacy controls are applied to the response".
		for _, f := range []string{u.Email, u.DisplayName, name} {
			if f != "" && strings.HasPrefix(strings.ToLower(f), q) {
				out = append(out, s.renderUser(r, u))
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// isCaller reports whether u is who the request's credential acts as:
// people always see their own e-mail.
func (s *Server) isCaller(r *http.Request, u User) bool {
	c := s.caller(r)
	return c.AccountID == u.AccountID && c.Name == u.Name
}

// assignableSearch serves GET /rest/api/2/user/assignable/search
// ("Find users assignable to issues"): the users who can be assigned in
// project=KEY, narrowed by accountId= (Cloud), username= (Data Center) or
// query=. A project is required here (the real endpoint also takes an
// issueKey, which wrapup does not use).
func (s *Server) assignableSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, ok := s.projectByKey(q.Get("project"))
	if !ok {
		writeError(w, http.StatusNotFound, []string{"Project '" + q.Get("project") + "' not found"}, nil)
		return
	}
	out := []map[string]any{}
	for _, u := range s.opts.Users {
		if u.Assignable != nil && !slices.ContainsFunc(u.Assignable, func(k string) bool { return strings.EqualFold(k, p.Key) }) {
			continue
		}
		if id := q.Get("accountId"); id != "" && id != u.AccountID {
			continue
		}
		if name := q.Get("username"); name != "" && !strings.EqualFold(name, u.Name) {
			continue
		}
		out = append(out, s.renderUser(r, u))
	}
	writeJSON(w, http.StatusOK, out)
}
