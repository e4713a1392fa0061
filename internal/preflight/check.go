package preflight

// Status is a check's outcome.
type Status string

// Outcomes. Only Failed makes a report fail: a check skipped for want of a
// token is not a problem found.
const (
	OK      Status = "ok"
	Failed  Status = "failed"
	Skipped Status = "skipped"
)

// Check is one line of a report.
type Check struct {
	// Name says what was checked: "config", "slack.auth",
	// "slack.scope users:read.email", "jira.site", "jira.project",
	// "jira.create", "github.repo", "github.issues", "github.push",
	// "publish.repo", "publish.push", "publish.base".
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Detail is what was found, or what is wrong and what breaks.
	Detail string `json:"detail"`
	// Fix is what to do about a failure.
	Fix string `json:"fix,omitempty"`
}

func ok(name, detail string) Check { return Check{Name: name, Status: OK, Detail: detail} }

func failed(name, detail, fix string) Check {
	return Check{Name: name, Status: Failed, Detail: detail, Fix: fix}
}

func skipped(name, why string) Check { return Check{Name: name, Status: Skipped, Detail: why} }
