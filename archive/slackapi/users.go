package slackapi

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// usersPage is users.list's page size, Slack's maximum.
const usersPage = 1000

// directory caches the users a client has fetched, so that a sweep over
// many channels lists the workspace's users once, not once per channel.
type directory struct {
	mu       sync.Mutex
	users    map[string]*archive.User
	complete bool   // users.list was paged to the end
	cursor   string // where an unfinished listing stopped
	pages    int    // users.list pages fetched so far
}

// users returns the referenced users, fetched whichever way costs fewer
// calls: users.info for one user; else users.list, paged only until every
// referenced user is found, switching to users.info once the users still
// missing are no more than the pages already spent (a workspace that
// needs that many pages will likely need that many more).
func (e *exporter) users(ctx context.Context, ids map[string]bool) ([]*archive.User, error) {
	c := e.c
	d := &c.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.users == nil {
		d.users = map[string]*archive.User{}
	}
	missing := func() []string {
		var out []string
		for id := range ids {
			if _, ok := d.users[id]; !ok {
				out = append(out, id)
			}
		}
		slices.Sort(out)
		return out
	}
	for m := missing(); len(m) > 1 && !d.complete && len(m) > d.pages; m = missing() {
		if err := e.listPage(ctx, d); err != nil {
			return nil, err
		}
	}
	var notFound []string
	for _, id := range missing() {
		if d.complete {
			notFound = append(notFound, id)
			continue
		}
		u, err := e.userInfo(ctx, id)
		if Code(err) == "user_not_found" {
			notFound = append(notFound, id)
			continue
		}
		if err != nil {
			return nil, err
		}
		d.users[id] = u
	}
	if len(notFound) > 0 {
		e.note("users not in the workspace's directory, kept as IDs: %s", strings.Join(notFound, ", "))
	}
	var out []*archive.User
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		if u, ok := d.users[id]; ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// listPage fetches the next page of users.list into the directory.
func (e *exporter) listPage(ctx context.Context, d *directory) error {
	c := e.c
	var next string
	capt, err := c.call(ctx, &e.cnt, "users.list", true, func(ctx context.Context) error {
		p, err := c.api.GetUsersPaginated(slack.GetUsersOptionLimit(usersPage), slack.GetUsersOptionCursor(d.cursor)).Next(ctx)
		next = p.Cursor
		return err
	})
	if err != nil {
		return err
	}
	var body struct {
		Members []*archive.User `json:"members"`
	}
	if err := json.Unmarshal(capt.body, &body); err != nil {
		return fmt.Errorf("users.list: %w", err)
	}
	for _, u := range body.Members {
		if u != nil && u.ID != "" {
			d.users[u.ID] = u
		}
	}
	d.pages++
	d.cursor, d.complete = next, next == ""
	return nil
}

// userInfo fetches one user.
func (e *exporter) userInfo(ctx context.Context, id string) (*archive.User, error) {
	capt, err := e.c.call(ctx, &e.cnt, "users.info", true, func(ctx context.Context) error {
		_, err := e.c.api.GetUserInfoContext(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	var body struct {
		User *archive.User `json:"user"`
	}
	if err := json.Unmarshal(capt.body, &body); err != nil || body.User == nil || body.User.ID == "" {
		return nil, fmt.Errorf("users.info %s: no user in the answer (%v)", id, err)
	}
	return body.User, nil
}

// People lists every user of the workspace through users.list, paged to
// the end; the client keeps them for the users of later exports.
func (c *Client) People(ctx context.Context) ([]*archive.User, error) {
	e := &exporter{c: c}
	d := &c.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.users == nil {
		d.users = map[string]*archive.User{}
	}
	for !d.complete {
		if err := e.listPage(ctx, d); err != nil {
			return nil, err
		}
	}
	var out []*archive.User
	for _, id := range slices.Sorted(maps.Keys(d.users)) {
		out = append(out, d.users[id])
	}
	return out, nil
}
