package library

import (
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"path/filepath"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/wrapup/wrapup/internal/atomicfile"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/templates"
)

// Name is how the incident is called in the index: its title, else its
// channel, else its folder.
func (in *Incident) Name() string {
	for _, s := range []string{in.Title, in.Channel, in.Folder} {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return in.Folder
}

// sharedFuncs are the functions both index template families may call.
func sharedFuncs() map[string]any {
	return map[string]any{
		"sev":  SeverityName,
		"secs": secs,
		"date": func(t *time.Time) string {
			if t == nil {
				return "–"
			}
			return t.UTC().Format(time.DateOnly)
		},
		"days":     func(d time.Duration) int64 { return int64(d / (24 * time.Hour)) },
		"relpath":  relPath,
		"last":     func(v any) (int, error) { return lastIndex(v) },
		"sevclass": SeverityClass,
	}
}

// MarkdownFuncs are the functions index.md.tmpl and its partials may call:
// render's (text, link, duration, plural, inc) and the index's.
func MarkdownFuncs() texttemplate.FuncMap {
	m := render.MarkdownFuncs()
	for k, v := range sharedFuncs() {
		m[k] = v
	}
	return m
}

// HTMLFuncs are the functions index.html.tmpl and its partials may call.
func HTMLFuncs() htmltemplate.FuncMap {
	m := render.HTMLFuncs()
	for k, v := range sharedFuncs() {
		m[k] = v
	}
	m["plain"] = render.PlainText
	m["safeurl"] = render.SafeURL
	return m
}

// secs is a figure in seconds for people, "–" when unknown.
func secs(p *int64) string {
	if p == nil {
		return "–"
	}
	return render.Duration(*p)
}

// relPath is a path relative to the index, each element percent-encoded,
// so that a folder's name cannot end a Markdown link or leave the folder.
func relPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func lastIndex(v any) (int, error) {
	switch s := v.(type) {
	case []*Trend:
		return len(s) - 1, nil
	case []*Incident:
		return len(s) - 1, nil
	case []string:
		return len(s) - 1, nil
	}
	return 0, fmt.Errorf("last: %T is not a list", v)
}

// Documents are the index's rendered files.
type Documents struct {
	Markdown, HTML []byte
}

// Render executes the index templates (the built-in ones, each replaced by
// dir's file of the same name when dir is not ""). A template that fails
// to parse or run is a *render.TemplateError naming its file.
func Render(idx *Index, dir string) (*Documents, error) {
	md, err := render.ExecuteTemplates(func() ([]templates.File, error) { return templates.LoadIndex(dir, templates.MarkdownSuffix) },
		false, MarkdownFuncs(), templates.IndexMarkdown, idx)
	if err != nil {
		return nil, err
	}
	html, err := render.ExecuteTemplates(func() ([]templates.File, error) { return templates.LoadIndex(dir, templates.HTMLSuffix) },
		true, HTMLFuncs(), templates.IndexHTML, idx)
	if err != nil {
		return nil, err
	}
	return &Documents{Markdown: render.Tidy(md), HTML: html}, nil
}

// Write writes the documents into dir atomically, mode 0600, and returns
// the paths written.
func (d *Documents) Write(dir string) ([]string, error) {
	var out []string
	for _, f := range []struct {
		name string
		data []byte
	}{{MarkdownFile, d.Markdown}, {HTMLFile, d.HTML}} {
		p := filepath.Join(dir, f.name)
		if err := atomicfile.Write(p, f.data, 0o600); err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}
