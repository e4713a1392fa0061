package preflight

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	gojira "github.com/andygrunwald/go-jira"
)

// wrapupFills are the fields every create of wrapup sets.
var wrapupFills = []string{"project", "issuetype", "summary", "description", "labels"}

// metaField is one field of the create metadata.
type metaField struct {
	FieldID         string `json:"fieldId"`
	Key             string `json:"key"`
	Name            string `json:"name"`
	Required        bool   `json:"required"`
	HasDefaultValue bool   `json:"hasDefaultValue"`
}

func (f metaField) id() string { return firstNonEmpty(f.FieldID, f.Key) }

// metaPage is a page of the paged create metadata: Cloud lists issueTypes
// or fields, Data Center values.
type metaPage struct {
	StartAt    int         `json:"startAt"`
	MaxResults int         `json:"maxResults"`
	Total      int         `json:"total"`
	IsLast     *bool       `json:"isLast"`
	IssueTypes []metaType  `json:"issueTypes"`
	Fields     []metaField `json:"fields"`
	Values     []rawMeta   `json:"values"`
}

type metaType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// rawMeta is a Data Center value: an issue type or a field.
type rawMeta struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	FieldID         string `json:"fieldId"`
	Key             string `json:"key"`
	Required        bool   `json:"required"`
	HasDefaultValue bool   `json:"hasDefaultValue"`
}

func (v rawMeta) issueType() metaType { return metaType{ID: v.ID, Name: v.Name} }

func (v rawMeta) field() metaField {
	return metaField{FieldID: v.FieldID, Key: v.Key, Name: v.Name, Required: v.Required, HasDefaultValue: v.HasDefaultValue}
}

// checkJiraSetup reads the project's create metadata (GET
// /rest/api/2/issue/createmeta/{project}/issuetypes and .../{id}, paged;
// Cloud and Data Center 8.4+) and reports what would make creates fail or
// lose their assignee: an issue type the project lacks, required fields
// wrapup does not fill, labels or assignee off the create screen, and
// mapped people who cannot be assigned in the project.
func checkJiraSetup(ctx context.Context, client *gojira.Client, conn JiraConn) []Check {
	project := url.PathEscape(conn.Project)
	var types []metaType
	err := metaPages(ctx, client, "rest/api/2/issue/createmeta/"+project+"/issuetypes", func(p metaPage) {
		types = append(types, p.IssueTypes...)
		for _, v := range p.Values {
			types = append(types, v.issueType())
		}
	})
	if err != nil {
		return []Check{failed("jira.issuetype", fmt.Sprintf("can't read the create metadata of %s: %v", conn.Project, err),
			"the account needs Create Issues in the project; on Data Center, Jira 8.4 or later"),
			skipped("jira.fields", "needs the issue type"), skipped("jira.screen", "needs the issue type")}
	}
	i := slices.IndexFunc(types, func(t metaType) bool { return strings.EqualFold(t.Name, conn.IssueType) })
	if i < 0 {
		names := make([]string, len(types))
		for j, t := range types {
			names[j] = t.Name
		}
		return []Check{failed("jira.issuetype", fmt.Sprintf("%s has no issue type %q: every create would be refused (its types: %s)", conn.Project, conn.IssueType, strings.Join(names, ", ")),
			"set tracker.jira.issue_type to one of the project's issue types"),
			skipped("jira.fields", "needs the issue type"), skipped("jira.screen", "needs the issue type")}
	}
	typ := types[i]
	out := []Check{ok("jira.issuetype", fmt.Sprintf("%s has the issue type %s", conn.Project, typ.Name))}

	var fields []metaField
	err = metaPages(ctx, client, "rest/api/2/issue/createmeta/"+project+"/issuetypes/"+url.PathEscape(typ.ID), func(p metaPage) {
		fields = append(fields, p.Fields...)
		for _, v := range p.Values {
			fields = append(fields, v.field())
		}
	})
	if err != nil {
		return append(out, failed("jira.fields", fmt.Sprintf("can't read the fields of %s %s: %v", conn.Project, typ.Name, err), ""),
			skipped("jira.screen", "needs the fields"))
	}
	fills := append(slices.Clone(wrapupFills), conn.Fills...)
	onScreen := map[string]bool{}
	var unfilled []string
	for _, f := range fields {
		onScreen[f.id()] = true
		if f.Required && !f.HasDefaultValue && !slices.Contains(fills, f.id()) {
			unfilled = append(unfilled, fmt.Sprintf("%s (%s)", f.Name, f.id()))
		}
	}
	if len(unfilled) > 0 {
		out = append(out, failed("jira.fields", fmt.Sprintf("%s %s requires fields wrapup does not fill: %s; every create would be refused", conn.Project, typ.Name, strings.Join(unfilled, ", ")),
			"set them under tracker.jira.custom_fields (e.g. customfield_10010: value), or have a Jira admin make them optional or give them a default"))
	} else {
		out = append(out, ok("jira.fields", "wrapup fills every required field"))
	}
	var off []string
	for _, f := range []string{"labels", "assignee"} {
		if !onScreen[f] {
			off = append(off, f)
		}
	}
	switch {
	case !onScreen["labels"]:
		out = append(out, failed("jira.screen", fmt.Sprintf("%s is not on the create screen of %s %s: every create would be refused, and labels are how wrapup finds its issues again", strings.Join(off, " and "), conn.Project, typ.Name),
			"have a Jira admin add the fields to the project's create screen (Project settings -> Screens)"))
	case !onScreen["assignee"]:
		out = append(out, failed("jira.screen", fmt.Sprintf("assignee is not on the create screen of %s %s: every item would be filed unassigned", conn.Project, typ.Name),
			"have a Jira admin add Assignee to the project's create screen (Project settings -> Screens)"))
	default:
		out = append(out, ok("jira.screen", "labels and assignee are on the create screen"))
	}
	return append(out, checkJiraUsers(ctx, client, conn))
}

// metaPages GETs every page of a paged createmeta resource.
func metaPages(ctx context.Context, client *gojira.Client, path string, each func(metaPage)) error {
	for start := 0; ; {
		var p metaPage
		if _, err := jiraGet(ctx, client, fmt.Sprintf("%s?startAt=%d", path, start), &p); err != nil {
			return err
		}
		each(p)
		n := len(p.IssueTypes) + len(p.Fields) + len(p.Values)
		start += n
		if n == 0 || (p.IsLast != nil && *p.IsLast) || (p.IsLast == nil && start >= p.Total) {
			return nil
		}
	}
}

// checkJiraUsers asks, for each person of tracker.jira.users, whether
// they can be assigned in the project (GET
// /rest/api/2/user/assignable/search), and names the handles that can't.
func checkJiraUsers(ctx context.Context, client *gojira.Client, conn JiraConn) Check {
	if len(conn.Users) == 0 {
		if conn.Deployment == "datacenter" {
			return ok("jira.users", "tracker.jira.users is empty: people are assigned by the Slack user's e-mail, else by their handle as username")
		}
		return ok("jira.users", "tracker.jira.users is empty: people are assigned only where Jira Cloud shows their e-mail, which most users hide; map Slack handles to accountIds there to assign the rest")
	}
	param := "accountId"
	if conn.Deployment == "datacenter" {
		param = "username"
	}
	var bad []string
	for _, handle := range slices.Sorted(maps.Keys(conn.Users)) {
		id := conn.Users[handle]
		q := url.Values{"project": {conn.Project}, param: {id}}
		var users []assignableUser
		status, err := jiraGet(ctx, client, "rest/api/2/user/assignable/search?"+q.Encode(), &users)
		switch {
		case err != nil && status != http.StatusNotFound && status != http.StatusBadRequest:
			return failed("jira.users", fmt.Sprintf("can't ask who is assignable in %s: %v", conn.Project, err), "")
		case !slices.ContainsFunc(users, func(u assignableUser) bool { return u.AccountID == id || strings.EqualFold(u.Name, id) }):
			bad = append(bad, fmt.Sprintf("@%s (%s)", handle, id))
		}
	}
	if len(bad) > 0 {
		return failed("jira.users", fmt.Sprintf("%d of %d people in tracker.jira.users can't be assigned in %s: %s; their items will be filed unassigned",
			len(bad), len(conn.Users), conn.Project, strings.Join(bad, ", ")),
			"check each id in tracker.jira.users (Cloud: the accountId, Data Center: the username), and that the person has the Assignable User permission in the project")
	}
	return ok("jira.users", fmt.Sprintf("all %d people in tracker.jira.users can be assigned in %s", len(conn.Users), conn.Project))
}

type assignableUser struct {
	AccountID string `json:"accountId"`
	Name      string `json:"name"`
}
