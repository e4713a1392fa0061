package render

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/wrapup/wrapup/templates"
)

// MarkdownFuncs are the functions the Markdown templates may call, beyond
// text/template's built-ins. templates/REFERENCE.md documents each.
func MarkdownFuncs() texttemplate.FuncMap {
	return texttemplate.FuncMap{
		"text":     Text,
		"link":     Link,
		"duration": Duration,
		"plural":   pluralAny,
		"inc":      func(i int) int { return i + 1 },
	}
}

// HTMLFuncs are the functions the HTML templates may call, beyond
// html/template's built-ins.
func HTMLFuncs() htmltemplate.FuncMap {
	return htmltemplate.FuncMap{
		"plural": pluralAny,
	}
}

// pluralAny is plural for the integer types templates hand it.
func pluralAny(n any, noun string) (string, error) {
	switch v := n.(type) {
	case int:
		return plural(int64(v), noun), nil
	case int64:
		return plural(v, noun), nil
	}
	return "", fmt.Errorf("plural: %T is not an integer", n)
}

// templateSet holds the parsed templates and where each came from.
type templateSet struct {
	md    *texttemplate.Template
	html  *htmltemplate.Template
	paths map[string]string // template file name -> path, for errors
}

// loadTemplates parses the Markdown templates, and the HTML ones when
// withHTML. An error names the file and line.
func loadTemplates(dir string, withHTML bool) (*templateSet, error) {
	set := &templateSet{paths: map[string]string{}}
	if err := set.load(func() ([]templates.File, error) { return templates.Load(dir, templates.MarkdownSuffix) },
		false, MarkdownFuncs(), templates.Markdown); err != nil {
		return nil, err
	}
	if !withHTML {
		return set, nil
	}
	if err := set.load(func() ([]templates.File, error) { return templates.Load(dir, templates.HTMLSuffix) },
		true, HTMLFuncs(), templates.Page, templates.Transcript, chartTemplate); err != nil {
		return nil, err
	}
	return set, nil
}

// load parses one family of template files into the set, with funcs:
// HTML ones (html/template) when isHTML, else Markdown ones
// (text/template). Each of need must be among them.
func (s *templateSet) load(files func() ([]templates.File, error), isHTML bool, funcs map[string]any, need ...string) error {
	fs, err := files()
	if err != nil {
		return fileError(err)
	}
	if isHTML {
		s.html = htmltemplate.New("html").Funcs(funcs).Option("missingkey=error")
	} else {
		s.md = texttemplate.New("markdown").Funcs(funcs).Option("missingkey=error")
	}
	for _, f := range fs {
		s.paths[f.Name] = f.Path
		if isHTML {
			_, err = s.html.New(f.Name).Parse(f.Text)
		} else {
			_, err = s.md.New(f.Name).Parse(f.Text)
		}
		if err != nil {
			return s.wrap(f.Name, err)
		}
	}
	for _, name := range need {
		if (isHTML && s.html.Lookup(name) == nil) || (!isHTML && s.md.Lookup(name) == nil) {
			return fmt.Errorf("templates: %s is missing", name)
		}
	}
	return nil
}

// ExecuteTemplates parses a family of template files (files gives them,
// as templates.LoadIndex does) with funcs, and executes entry with data:
// with html/template when isHTML, else with text/template. An error that
// a file or an override causes is a *TemplateError naming it, as for the
// postmortem's templates.
func ExecuteTemplates(files func() ([]templates.File, error), isHTML bool, funcs map[string]any, entry string, data any) ([]byte, error) {
	set := &templateSet{paths: map[string]string{}}
	if err := set.load(files, isHTML, funcs, entry); err != nil {
		return nil, err
	}
	if set.html != nil {
		return set.executeHTML(entry, data)
	}
	var buf bytes.Buffer
	if err := set.md.ExecuteTemplate(&buf, entry, data); err != nil {
		return nil, set.wrapExec(entry, err)
	}
	return buf.Bytes(), nil
}

// chartTemplate draws the phase chart in HTML.
const chartTemplate = "_chart.html.tmpl"

// fileError makes a refused or unreadable template file (a symbolic
// link, say) a TemplateError, which callers treat as a config error.
func fileError(err error) error {
	var fe *templates.FileError
	if errors.As(err, &fe) {
		return &TemplateError{Path: fe.Path, Err: fe.Err}
	}
	return err
}

// TemplateError is a template that failed to parse or execute. Its
// message names the file; the template package's own message, wrapped,
// adds the line.
type TemplateError struct {
	Path string // the override file, or the built-in template's name
	Err  error
}

func (e *TemplateError) Error() string { return "template " + e.Path + ": " + e.Err.Error() }
func (e *TemplateError) Unwrap() error { return e.Err }

// wrap says which file an error is in. The template packages' messages
// already carry "name:line"; an override adds its path in front.
func (s *templateSet) wrap(name string, err error) error {
	p := s.paths[name]
	if p == "" || strings.HasPrefix(p, "built-in ") {
		return &TemplateError{Path: name, Err: err}
	}
	return &TemplateError{Path: p, Err: err}
}

// wrapExec names the file an execution error comes from: the template
// packages name the template that failed, which may be a partial.
func (s *templateSet) wrapExec(entry string, err error) error {
	msg := err.Error()
	for name, p := range s.paths {
		if strings.Contains(msg, name+":") && !strings.HasPrefix(p, "built-in ") {
			return &TemplateError{Path: p, Err: err}
		}
	}
	return s.wrap(entry, err)
}

func (s *templateSet) markdown(d *Data) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.md.ExecuteTemplate(&buf, templates.Markdown, d); err != nil {
		return nil, s.wrapExec(templates.Markdown, err)
	}
	return Tidy(buf.Bytes()), nil
}

// customHTML reports whether an HTML template comes from an override
// folder, which may lay out Page.Transcript itself.
func (s *templateSet) customHTML() bool {
	for name, p := range s.paths {
		if strings.HasSuffix(name, templates.HTMLSuffix) && !strings.HasPrefix(p, "built-in ") {
			return true
		}
	}
	return false
}

func (s *templateSet) executeHTML(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if p, ok := data.(*Page); ok {
		buf.Grow(len(p.Body) + 64<<10)
	}
	if err := s.html.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, s.wrapExec(name, err)
	}
	return buf.Bytes(), nil
}

// Tidy collapses the runs of blank lines that partials ending in a newline
// leave between sections, and ends the document with one newline. Only
// blank lines change: Slack text never spans lines in the Markdown.
func Tidy(md []byte) []byte {
	out := make([]byte, 0, len(md))
	nl := 0
	for _, c := range bytes.TrimLeft(md, "\n") {
		if c == '\n' {
			nl++
			if nl > 2 {
				continue
			}
		} else {
			nl = 0
		}
		out = append(out, c)
	}
	return append(bytes.TrimRight(out, "\n"), '\n')
}
