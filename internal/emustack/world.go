package emustack

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/wrapup/wrapup/internal/config"
	"go.yaml.in/yaml/v3"
)

// World is a world file: the workspace and tracker setup the emulator
// reproduces, as DESIGN "The emulator" specifies. A key left out keeps the
// emulator's default for it.
type World struct {
	Slack  SlackWorld  `yaml:"slack"`
	Jira   JiraWorld   `yaml:"jira"`
	GitHub GitHubWorld `yaml:"github"`
}

// The values of SlackWorld.App.
const (
	AppInternal    = "internal"
	AppDistributed = "distributed"
)

// SlackWorld is the Slack part of a world.
type SlackWorld struct {
	// App is AppInternal (the default), or AppDistributed: a commercially
	// distributed app not approved for the Slack Marketplace, held since
	// 2025 to 1 history or replies call a minute and 15 messages a page.
	App string `yaml:"app"`
	// BotUser is the bot's user ID; "" keeps slacktest's default.
	BotUser string `yaml:"bot_user"`
}

// Distributed reports whether the app is a distributed one.
func (s SlackWorld) Distributed() bool { return s.App == AppDistributed }

// JiraWorld is the Jira part of a world.
type JiraWorld struct {
	// SearchLag is how long a created issue stays invisible to search.
	SearchLag time.Duration `yaml:"search_lag"`
	Projects  []JiraProject `yaml:"projects"`
	Users     []JiraUser    `yaml:"users"`
}

// JiraProject is one project and its create screen.
type JiraProject struct {
	Key            string   `yaml:"key"`
	IssueTypes     []string `yaml:"issue_types"`
	RequiredFields []string `yaml:"required_fields"`
	// LabelsOnScreen says whether labels can be set on create; default true.
	LabelsOnScreen bool `yaml:"labels_on_screen"`
}

// UnmarshalYAML applies the defaults of keys left out.
func (p *JiraProject) UnmarshalYAML(n *yaml.Node) error {
	type plain JiraProject
	v := plain{LabelsOnScreen: true}
	if err := n.Decode(&v); err != nil {
		return err
	}
	*p = JiraProject(v)
	return nil
}

// JiraUser is one person Jira knows.
type JiraUser struct {
	AccountID   string `yaml:"account_id"`
	Name        string `yaml:"name"`
	Email       string `yaml:"email"`
	DisplayName string `yaml:"display_name"`
	// EmailVisible false hides emailAddress from user search, as Cloud
	// does for people who chose so; default true.
	EmailVisible bool `yaml:"email_visible"`
	// Assignable lists the project keys the user can be assigned in.
	Assignable []string `yaml:"assignable"`
}

// UnmarshalYAML applies the defaults of keys left out.
func (u *JiraUser) UnmarshalYAML(n *yaml.Node) error {
	type plain JiraUser
	v := plain{EmailVisible: true}
	if err := n.Decode(&v); err != nil {
		return err
	}
	*u = JiraUser(v)
	return nil
}

// GitHubWorld is the GitHub part of a world.
type GitHubWorld struct {
	Repos []GitHubRepo `yaml:"repos"`
}

// GitHubRepo is one repository as the token sees it.
type GitHubRepo struct {
	Name string `yaml:"name"` // owner/name
	// Push says whether the token has push access; default true. Without
	// it GitHub drops labels and assignees silently.
	Push       bool     `yaml:"push"`
	Assignable []string `yaml:"assignable"` // logins
	Labels     []string `yaml:"labels"`     // labels that exist
}

// UnmarshalYAML applies the defaults of keys left out.
func (r *GitHubRepo) UnmarshalYAML(n *yaml.Node) error {
	type plain GitHubRepo
	v := plain{Push: true}
	if err := n.Decode(&v); err != nil {
		return err
	}
	*r = GitHubRepo(v)
	return nil
}

// LoadWorld reads and checks the world file at path. Its errors are
// *config.Error naming the file, the line and the key.
func LoadWorld(path string) (*World, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("world file: %w", err)
	}
	return ParseWorld(path, data)
}

// ParseWorld parses a world file's contents; name is the file named in
// errors.
func ParseWorld(name string, data []byte) (*World, error) {
	w := &World{}
	lines, err := config.DecodeStrict(name, data, w)
	if err != nil {
		return nil, err
	}
	if lines == nil {
		return w, nil // an empty file changes nothing
	}
	if err := w.validate(name, lines); err != nil {
		return nil, err
	}
	return w, nil
}

var (
	slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	jiraKey     = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,9}$`)
	repoName    = regexp.MustCompile(`^[\w.-]+/[\w.-]+$`)
)

// validate checks the values that decode but make no sense.
func (w *World) validate(file string, lines map[string]int) error {
	bad := func(key, format string, args ...any) error {
		return &config.Error{File: file, Line: lineOf(lines, key), Key: key, Err: fmt.Errorf(format, args...)}
	}
	switch w.Slack.App {
	case "", AppInternal, AppDistributed:
	default:
		return bad("slack.app", "%q is not one of %s, %s", w.Slack.App, AppInternal, AppDistributed)
	}
	if b := w.Slack.BotUser; b != "" && !slackUserID.MatchString(b) {
		return bad("slack.bot_user", "%q is not a Slack user ID (U or W, then capitals and digits)", b)
	}
	if w.Jira.SearchLag < 0 {
		return bad("jira.search_lag", "must not be negative")
	}
	projects := map[string]bool{}
	for i, p := range w.Jira.Projects {
		at := fmt.Sprintf("jira.projects[%d]", i)
		switch {
		case !jiraKey.MatchString(p.Key):
			return bad(at+".key", "%q is not a Jira project key (a capital, then 1 to 9 capitals, digits or _)", p.Key)
		case projects[p.Key]:
			return bad(at+".key", "project %s is listed twice", p.Key)
		case len(p.IssueTypes) == 0:
			return bad(at+".issue_types", "project %s needs at least one issue type", p.Key)
		}
		projects[p.Key] = true
	}
	accounts := map[string]bool{}
	for i, u := range w.Jira.Users {
		at := fmt.Sprintf("jira.users[%d]", i)
		switch {
		case u.AccountID == "" && u.Name == "":
			return bad(at, "a user needs an account_id (Cloud) or a name (Data Center)")
		case accounts[u.AccountID+"\x00"+u.Name]:
			return bad(at, "user %s is listed twice", u.AccountID+u.Name)
		}
		accounts[u.AccountID+"\x00"+u.Name] = true
		for j, k := range u.Assignable {
			if !projects[k] {
				return bad(fmt.Sprintf("%s.assignable[%d]", at, j), "%q is not a project of jira.projects", k)
			}
		}
	}
	repos := map[string]bool{}
	for i, r := range w.GitHub.Repos {
		at := fmt.Sprintf("github.repos[%d].name", i)
		switch {
		case !repoName.MatchString(r.Name):
			return bad(at, "%q is not owner/name", r.Name)
		case repos[strings.ToLower(r.Name)]:
			return bad(at, "repo %s is listed twice", r.Name)
		}
		repos[strings.ToLower(r.Name)] = true
		if j := slices.IndexFunc(r.Labels, func(l string) bool { return len(l) > 50 }); j >= 0 {
			// GitHub refuses labels over 50 characters (a 422).
			return bad(fmt.Sprintf("github.repos[%d].labels[%d]", i, j), "a label is at most 50 characters")
		}
	}
	return nil
}

// lineOf is the line of key, or of its nearest parent in the file when the
// key itself was left out.
func lineOf(lines map[string]int, key string) int {
	for key != "" {
		if n, ok := lines[key]; ok {
			return n
		}
		key = key[:max(0, strings.LastIndexAny(key, ".["))]
	}
	return 0
}
