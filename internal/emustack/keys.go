package emustack

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wrapup/wrapup/internal/config"
	"go.yaml.in/yaml/v3"
)

// checkKeys walks a world document against the struct v points at, so that
// an unknown key is reported with its path, its line and the keys valid
// there; it records each key's line in lines for later errors. It follows
// internal/config's checkKeys, which that package does not export.
func checkKeys(file string, n *yaml.Node, v any, path string, lines map[string]int) error {
	return walkKeys(file, n, reflect.TypeOf(v), path, lines)
}

func walkKeys(file string, n *yaml.Node, t reflect.Type, path string, lines map[string]int) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	lines[path] = n.Line
	switch {
	case t == reflect.TypeOf(time.Duration(0)):
		// yaml would read a bare number as nanoseconds.
		if n.Kind != yaml.ScalarNode || n.Tag == "!!int" || n.Tag == "!!float" {
			return &config.Error{File: file, Line: n.Line, Key: path,
				Err: fmt.Errorf("want a duration such as 2s or 500ms, got %s", describe(n))}
		}
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &config.Error{File: file, Line: n.Line, Key: path, Err: fmt.Errorf("want a mapping, got %s", describe(n))}
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			fields[name] = f.Type
			names = append(names, name)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub := joinKey(path, k.Value)
			ft, ok := fields[k.Value]
			switch {
			case !ok:
				return &config.Error{File: file, Line: k.Line, Key: sub,
					Err: fmt.Errorf("unknown key (valid here: %s)", strings.Join(names, ", "))}
			case seen[k.Value]:
				return &config.Error{File: file, Line: k.Line, Key: sub, Err: fmt.Errorf("key given twice")}
			}
			seen[k.Value] = true
			if err := walkKeys(file, v, ft, sub, lines); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Tag == "!!null" {
				return nil
			}
			return &config.Error{File: file, Line: n.Line, Key: path, Err: fmt.Errorf("want a list, got %s", describe(n))}
		}
		for i, item := range n.Content {
			if err := walkKeys(file, item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), lines); err != nil {
				return err
			}
		}
	}
	return nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlError turns a yaml error into a config.Error, its line taken out of
// the text into the Line field.
func yamlError(file string, err error) error {
	line := 0
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	s := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
	s = strings.TrimPrefix(s, "yaml: ")
	s = strings.TrimSpace(yamlLineRE.ReplaceAllString(s, ""))
	s = strings.TrimLeft(s, ": ")
	return &config.Error{File: file, Line: line, Err: fmt.Errorf("%s", strings.ReplaceAll(s, "\n", "; "))}
}
