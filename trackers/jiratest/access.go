package jiratest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Access endpoints: who the credential is (/myself), whether a project
// exists (/project/{key}) and what the credential may do in it
// (/mypermissions). wrapup check uses them before a run writes anything.

// createPermission is CREATE_ISSUES as /mypermissions describes it.
var createPermission = map[string]any{
	"id": "11", "key": "CREATE_ISSUES", "name": "Create Issues", "type": "PROJECT",
	"description": "Ability to create issues.",
}

// browsePermission is BROWSE_PROJECTS, the other permission wrapup relies
// on (it searches for its own issues).
var browsePermission = map[string]any{
	"id": "10", "key": "BROWSE_PROJECTS", "name": "Browse Projects", "type": "PROJECT",
	"description": "Ability to browse projects and the issues within them.",
}

// readOnly reports whether the request carries Options.ReadOnlyToken.
func (s *Server) readOnly(r *http.Request) bool {
	if s.opts.ReadOnlyToken == "" {
		return false
	}
	auth := r.Header.Get("Authorization")
	if token, ok := strings.CutPrefix(auth, "Bearer "); ok {
		return token == s.opts.ReadOnlyToken
	}
	_, token := basicAuth(r)
	return token == s.opts.ReadOnlyToken
}

// basicAuth returns the Basic credential's user and token, or "".
func basicAuth(r *http.Request) (user, token string) {
	enc, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Basic ")
	if !ok {
		return "", ""
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", ""
	}
	user, token, _ = strings.Cut(string(raw), ":")
	return user, token
}

// caller is the user the credential acts as: the known user whose e-mail
// (Cloud) or name (Data Center) is the Basic user, else one made up from
// that login. A bearer token (a Data Center PAT) acts as Options.User, or
// as "wrapup-bot".
func (s *Server) caller(r *http.Request) User {
	login, _ := basicAuth(r)
	if login == "" {
		login = s.opts.User
	}
	if login == "" {
		login = "wrapup-bot"
	}
	for _, u := range s.opts.Users {
		if strings.EqualFold(login, u.Email) || strings.EqualFold(login, u.Name) {
			return u
		}
	}
	sum := sha256.Sum256([]byte(strings.ToLower(login)))
	u := User{AccountID: "712020:" + hex.EncodeToString(sum[:12]), Name: login, DisplayName: login}
	if strings.Contains(login, "@") {
		u.Email = login
		u.DisplayName, _, _ = strings.Cut(login, "@")
	}
	return u
}

// myself serves GET /rest/api/2/myself: the caller, as user search
// renders users, plus the groups and application roles summaries Jira
// adds here.
func (s *Server) myself(w http.ResponseWriter, r *http.Request) {
	v := s.renderUser(r, s.caller(r))
	v["groups"] = map[string]any{"size": 1, "items": []any{}}
	v["applicationRoles"] = map[string]any{"size": 1, "items": []any{}}
	v["expand"] = "groups,applicationRoles"
	writeJSON(w, http.StatusOK, v)
}

// project serves GET /rest/api/2/project/{keyOrId}.
func (s *Server) project(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	i := slices.IndexFunc(s.opts.Projects, func(p string) bool { return strings.EqualFold(p, key) || projectID(s.opts.Projects, p) == key })
	if i < 0 {
		writeError(w, http.StatusNotFound, []string{"No project could be found with key '" + key + "'."}, nil)
		return
	}
	key = s.opts.Projects[i]
	base := s.base(r)
	id := projectID(s.opts.Projects, key)
	lead := s.renderUser(r, s.caller(r))
	v := map[string]any{
		"expand":         "description,lead,issueTypes,url,projectKeys,permissions,insight",
		"self":           base + "/rest/api/2/project/" + id,
		"id":             id,
		"key":            key,
		"description":    "",
		"lead":           lead,
		"components":     []any{},
		"issueTypes":     s.issueTypesJSON(base, key),
		"assigneeType":   "UNASSIGNED",
		"versions":       []any{},
		"name":           key,
		"roles":          map[string]any{"Administrators": base + "/rest/api/2/project/" + id + "/role/10002"},
		"avatarUrls":     map[string]string{"48x48": base + "/avatar/p48.png", "24x24": base + "/avatar/p24.png", "16x16": base + "/avatar/p16.png", "32x32": base + "/avatar/p32.png"},
		"projectTypeKey": "software",
		"archived":       false,
	}
	if s.opts.Deployment == Cloud {
		v["simplified"] = false
		v["style"] = "classic"
		v["isPrivate"] = false
		v["properties"] = map[string]any{}
	}
	writeJSON(w, http.StatusOK, v)
}

// projectID is a project's numeric id: 10000 plus its position.
func projectID(projects []string, key string) string {
	return strconv.Itoa(10000 + slices.Index(projects, key))
}

// myPermissions serves GET /rest/api/2/mypermissions. Cloud requires the
// permissions parameter; Data Center answers every permission without it.
// The emulator knows CREATE_ISSUES and BROWSE_PROJECTS, which every
// credential has except Options.ReadOnlyToken, which lacks CREATE_ISSUES.
func (s *Server) myPermissions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if key := q.Get("projectKey"); key != "" && !slices.ContainsFunc(s.opts.Projects, func(p string) bool { return strings.EqualFold(p, key) }) {
		writeError(w, http.StatusNotFound, []string{"No project could be found with key '" + key + "'."}, nil)
		return
	}
	var want []string
	for _, p := range strings.Split(q.Get("permissions"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			want = append(want, p)
		}
	}
	if len(want) == 0 {
		if s.opts.Deployment == Cloud {
			writeError(w, http.StatusBadRequest, []string{"The permissions query parameter is required."}, nil)
			return
		}
		want = []string{"BROWSE_PROJECTS", "CREATE_ISSUES"}
	}
	perms := map[string]any{}
	for _, p := range want {
		var def map[string]any
		switch p {
		case "CREATE_ISSUES":
			def = createPermission
		case "BROWSE_PROJECTS":
			def = browsePermission
		default:
			writeError(w, http.StatusBadRequest, []string{"Unrecognized permission keys: " + p}, nil)
			return
		}
		v := map[string]any{}
		for k, x := range def {
			v[k] = x
		}
		v["havePermission"] = p != "CREATE_ISSUES" || !s.readOnly(r)
		perms[p] = v
	}
	writeJSON(w, http.StatusOK, map[string]any{"permissions": perms})
}

// issueTypesJSON lists a project's issue types as GET /project/{key}
// shows them.
func (s *Server) issueTypesJSON(base, key string) []any {
	p, _ := s.projectByKey(key)
	var out []any
	for _, t := range s.types(p) {
		out = append(out, map[string]any{"self": base + "/rest/api/2/issuetype/" + t.id, "id": t.id, "description": "",
			"iconUrl": base + "/images/icons/issuetypes/" + strings.ToLower(t.name) + ".svg", "name": t.name, "subtask": false, "hierarchyLevel": 0})
	}
	return out
}
