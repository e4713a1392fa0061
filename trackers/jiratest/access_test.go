package jiratest_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/trackers/jiratest"
)

func TestMyself(t *testing.T) {
	known := jiratest.User{AccountID: "5b10ac8d82e05b22cc7d4ef5", Name: "bot", Email: "bot@example.com", DisplayName: "Wrapup Bot"}
	tests := []struct {
		name, dep string
		users     []jiratest.User
		want      map[string]any // fields the body must hold
		absent    []string       // fields it must not
	}{
		{"cloud known user", jiratest.Cloud, []jiratest.User{known},
			map[string]any{"accountId": known.AccountID, "emailAddress": "bot@example.com", "displayName": "Wrapup Bot", "active": true, "accountType": "atlassian"},
			[]string{"name", "key"}},
		{"cloud unknown user", jiratest.Cloud, nil,
			map[string]any{"emailAddress": "bot@example.com", "displayName": "bot", "active": true},
			[]string{"name"}},
		{"datacenter known user", jiratest.DataCenter, []jiratest.User{{Name: "bot@example.com", Email: "b@example.com", DisplayName: "B"}},
			map[string]any{"name": "bot@example.com", "key": "bot@example.com", "displayName": "B"},
			[]string{"accountId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base := jiratest.NewTestServer(t, jiratest.Options{Deployment: tt.dep, Users: tt.users})
			resp, v := do(t, base, "GET", "/rest/api/2/myself", "", nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d; want 200", resp.StatusCode)
			}
			m := v.(map[string]any)
			for k, want := range tt.want {
				if diff := cmp.Diff(want, m[k]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", k, diff)
				}
			}
			for _, k := range append(tt.absent, "groups", "applicationRoles", "self") {
				_, has := m[k]
				if wantHas := k == "groups" || k == "applicationRoles" || k == "self"; has != wantHas {
					t.Errorf("key %q present %v; want %v", k, has, wantHas)
				}
			}
		})
	}
	t.Run("bad credential", func(t *testing.T) {
		_, base := jiratest.NewTestServer(t, jiratest.Options{Token: "right"})
		resp, _ := do(t, base, "GET", "/rest/api/2/myself", "", nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d; want 401", resp.StatusCode)
		}
	})
}

func TestProject(t *testing.T) {
	_, base := jiratest.NewTestServer(t, jiratest.Options{Projects: []string{"OPS", "SRE"}})
	tests := []struct {
		path    string
		status  int
		key, id string
	}{
		{"/rest/api/2/project/OPS", 200, "OPS", "10000"},
		{"/rest/api/2/project/sre", 200, "SRE", "10001"},
		{"/rest/api/2/project/10001", 200, "SRE", "10001"},
		{"/rest/api/2/project/NOPE", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, v := do(t, base, "GET", tt.path, "", nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d; want %d", resp.StatusCode, tt.status)
			}
			m := v.(map[string]any)
			if tt.status != 200 {
				want := []any{"No project could be found with key 'NOPE'."}
				if diff := cmp.Diff(want, m["errorMessages"]); diff != "" {
					t.Errorf("errorMessages (-want +got):\n%s", diff)
				}
				return
			}
			if m["key"] != tt.key || m["id"] != tt.id {
				t.Errorf("key %v id %v; want %s %s", m["key"], m["id"], tt.key, tt.id)
			}
			if types, _ := m["issueTypes"].([]any); len(types) == 0 {
				t.Errorf("no issueTypes in %v", m)
			}
		})
	}
}

func TestMyPermissions(t *testing.T) {
	tests := []struct {
		name, dep, token, query string
		status                  int
		create                  any // CREATE_ISSUES.havePermission; nil when absent
	}{
		{"cloud may create", jiratest.Cloud, "token", "projectKey=OPS&permissions=CREATE_ISSUES", 200, true},
		{"cloud read-only", jiratest.Cloud, "reader", "projectKey=OPS&permissions=CREATE_ISSUES,BROWSE_PROJECTS", 200, false},
		{"cloud needs permissions", jiratest.Cloud, "token", "projectKey=OPS", 400, nil},
		{"datacenter lists all", jiratest.DataCenter, "token", "projectKey=OPS", 200, true},
		{"no such project", jiratest.Cloud, "token", "projectKey=NOPE&permissions=CREATE_ISSUES", 404, nil},
		{"unknown permission", jiratest.Cloud, "token", "permissions=FLY", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, base := jiratest.NewTestServer(t, jiratest.Options{Deployment: tt.dep, ReadOnlyToken: "reader"})
			req := map[string]string{"Authorization": "Bearer " + tt.token}
			resp, v := do(t, base, "GET", "/rest/api/2/mypermissions?"+tt.query, "", req)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d; want %d (%v)", resp.StatusCode, tt.status, v)
			}
			m := v.(map[string]any)
			if tt.status != 200 {
				if _, ok := m["errorMessages"]; !ok {
					t.Errorf("error body %v lacks errorMessages", m)
				}
				return
			}
			perm, _ := m["permissions"].(map[string]any)["CREATE_ISSUES"].(map[string]any)
			if perm["havePermission"] != tt.create || perm["key"] != "CREATE_ISSUES" || perm["type"] != "PROJECT" {
				t.Errorf("CREATE_ISSUES = %v; want havePermission %v", perm, tt.create)
			}
		})
	}
}

func TestReadOnlyTokenCannotCreate(t *testing.T) {
	srv, base := jiratest.NewTestServer(t, jiratest.Options{Token: "token", ReadOnlyToken: "reader"})
	resp, v := do(t, base, "POST", "/rest/api/2/issue", create, map[string]string{"Authorization": "Bearer reader"})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d; want 400", resp.StatusCode)
	}
	if _, ok := v.(map[string]any)["errors"].(map[string]any)["project"]; !ok {
		t.Errorf("body %v has no errors.project", v)
	}
	resp, _ = do(t, base, "GET", "/rest/api/2/search/jql?jql=project%3DOPS", "", map[string]string{"Authorization": "Bearer reader"})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("search with the read-only token: status %d; want 200", resp.StatusCode)
	}
	if n := len(srv.Issues()); n != 0 {
		t.Errorf("%d issues created; want 0", n)
	}
}
