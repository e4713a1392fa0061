package jiratest

import (
	"fmt"
	"slices"
	"strings"
)

// query is a parsed JQL query: the clauses, all of which must hold.
type query struct {
	clauses []clause
}

type clause struct {
	field  string // project, labels, key
	negate bool
	values []string
}

func (q query) match(is *Issue) bool {
	for _, c := range q.clauses {
		var ok bool
		switch c.field {
		case "project":
			ok = slices.ContainsFunc(c.values, func(v string) bool { return strings.EqualFold(v, is.Project) })
		case "key":
			// A moved issue's old keys still find it.
			ok = slices.ContainsFunc(c.values, func(v string) bool {
				return strings.EqualFold(v, is.Key) || slices.ContainsFunc(is.OldKeys, func(k string) bool { return strings.EqualFold(v, k) })
			})
		case "labels":
			// Jira matches labels exactly, case included.
			ok = slices.ContainsFunc(c.values, func(v string) bool { return slices.Contains(is.Labels, v) })
		}
		if ok == c.negate {
			return false
		}
	}
	return true
}

// parseJQL parses the JQL wrapup needs: clauses on project, labels and key
// (issuekey) with =, != and in (...), joined by AND, and an ORDER BY that
// is accepted and ignored. Errors read like Jira's.
func parseJQL(s string) (query, error) {
	toks, err := lexJQL(s)
	if err != nil {
		return query{}, err
	}
	var q query
	i := 0
	peek := func() string {
		if i < len(toks) {
			return toks[i]
		}
		return ""
	}
	expect := func(what string) error {
		if i >= len(toks) {
			return jqlErr("Error in the JQL Query: Expecting %s before the end of the query.", what)
		}
		return jqlErr("Error in the JQL Query: Expecting %s but got '%s'.", what, unquote(toks[i]))
	}
	for i < len(toks) && !strings.EqualFold(peek(), "order") {
		if len(q.clauses) > 0 {
			if !strings.EqualFold(peek(), "and") {
				return query{}, expect("either 'AND' or 'ORDER BY'")
			}
			i++
		}
		if i >= len(toks) || isPunct(peek()) {
			return query{}, expect("a field name")
		}
		field := strings.ToLower(unquote(toks[i]))
		i++
		switch field {
		case "issuekey":
			field = "key"
		case "project", "labels", "key":
		default:
			return query{}, jqlErr("Field '%s' does not exist or you do not have permission to view it.", field)
		}
		c := clause{field: field}
		switch op := strings.ToLower(peek()); op {
		case "=", "!=":
			c.negate = op == "!="
			i++
			if i >= len(toks) || isPunct(peek()) {
				return query{}, expect("either a value, 'EMPTY' or a function")
			}
			c.values = []string{unquote(toks[i])}
			i++
		case "in", "not":
			if op == "not" {
				c.negate = true
				i++
				if !strings.EqualFold(peek(), "in") {
					return query{}, expect("'IN'")
				}
			}
			i++
			if peek() != "(" {
				return query{}, expect("'('")
			}
			i++
			for {
				if i >= len(toks) || isPunct(peek()) {
					return query{}, expect("either a value, 'EMPTY' or a function")
				}
				c.values = append(c.values, unquote(toks[i]))
				i++
				if peek() == "," {
					i++
					continue
				}
				if peek() != ")" {
					return query{}, expect("')'")
				}
				i++
				break
			}
		default:
			return query{}, expect("operator")
		}
		q.clauses = append(q.clauses, c)
	}
	if i < len(toks) {
		i++ // order
		if !strings.EqualFold(peek(), "by") {
			return query{}, expect("'BY'")
		}
		i++
		if i >= len(toks) {
			return query{}, expect("a field name")
		}
	}
	return q, nil
}

func isPunct(t string) bool { return t == "(" || t == ")" || t == "," || t == "=" || t == "!=" }

// unquote returns a token's text: quoted strings lose their quotes and
// escapes.
func unquote(t string) string {
	if len(t) >= 2 && (t[0] == '"' || t[0] == '\'') {
		var b strings.Builder
		for i := 1; i < len(t)-1; i++ {
			if t[i] == '\\' && i+1 < len(t)-1 {
				i++
			}
			b.WriteByte(t[i])
		}
		return b.String()
	}
	return t
}

func lexJQL(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',' || c == '=':
			toks = append(toks, string(c))
			i++
		case c == '!' && i+1 < len(s) && s[i+1] == '=':
			toks = append(toks, "!=")
			i += 2
		case c == '"' || c == '\'':
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return nil, jqlErr("Error in the JQL Query: The quoted string '%s' has not been completed.", s[i:])
			}
			toks = append(toks, s[i:j+1])
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n(),=!\"'", rune(s[j])) {
				j++
			}
			if j == i {
				return nil, jqlErr("Error in the JQL Query: The character '%c' is a reserved JQL character.", c)
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

// jqlError is a JQL error whose message is Jira's own wording, sent on
// the wire as it is (hence capitalised and punctuated).
type jqlError struct{ msg string }

func (e *jqlError) Error() string { return e.msg }

func jqlErr(format string, args ...any) error {
	return &jqlError{msg: fmt.Sprintf(format, args...)}
}
