package render

import (
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReference keeps templates/REFERENCE.md in step with the code: every
// field a template can reach and every template function is documented,
// and nothing documented is gone.
func TestReference(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "templates", "REFERENCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := referenceTables(string(b))
	timeT, svgT, dataT := reflect.TypeFor[Time](), reflect.TypeFor[SVG](), reflect.TypeFor[Data]()
	want := map[string][]string{
		"Markdown data": fieldPaths(dataT, "", timeT, svgT),
		"Time":          fieldPaths(timeT, "", reflect.TypeFor[time.Time]()),
		"Chart data":    fieldPaths(svgT, ".SVG"),
		"HTML data":     fieldPaths(reflect.TypeFor[Page](), "", timeT, dataT),
		"Markdown functions": func() []string {
			var names []string
			for n := range MarkdownFuncs() {
				names = append(names, n)
			}
			return names
		}(),
		"HTML functions": func() []string {
			var names []string
			for n := range HTMLFuncs() {
				names = append(names, n)
			}
			return names
		}(),
	}
	for section, names := range want {
		t.Run(section, func(t *testing.T) {
			slices.Sort(names)
			got := documented[section]
			slices.Sort(got)
			if diff := cmp.Diff(names, got); diff != "" {
				t.Errorf("REFERENCE.md section %q is out of step with the code (-code +documented):\n%s", section, diff)
			}
		})
	}
}

// referenceTables returns the first-column `names` of REFERENCE.md's
// tables by section.
func referenceTables(doc string) map[string][]string {
	out := map[string][]string{}
	section := ""
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
			section = strings.TrimSpace(strings.TrimLeft(line, "#"))
			if i := strings.Index(section, " ("); i >= 0 {
				section = section[:i]
			}
			if section == "Functions" {
				section = "Markdown functions"
			}
		case strings.HasPrefix(line, "HTML templates"):
			section = "HTML functions"
		case strings.HasPrefix(line, "| `"):
			cell := strings.TrimSpace(strings.Split(line, "|")[1])
			name := strings.Trim(strings.Fields(cell)[0], "`,")
			if section == "" || strings.Contains(name, ".tmpl") {
				continue
			}
			out[section] = append(out[section], name)
		}
	}
	return out
}

// fieldPaths lists the template paths of t's exported fields: ".A", ".A.B"
// for a nested struct (not ".A" itself), ".A" and ".A[].B" for a list of
// structs. Fields of the leaf
// types are not expanded (they have their own section).
func fieldPaths(t reflect.Type, prefix string, leaves ...reflect.Type) []string {
	var out []string
	var walk func(t reflect.Type, prefix string, seen []reflect.Type)
	walk = func(t reflect.Type, prefix string, seen []reflect.Type) {
		for f := range t.Fields() {
			if !f.IsExported() {
				continue
			}
			p := prefix + "." + f.Name
			ft := f.Type
			list := ""
			if ft.Kind() == reflect.Slice {
				ft, list = ft.Elem(), "[]"
			}
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			seen := append(slices.Clone(seen), t)
			if ft.Kind() != reflect.Struct || slices.Contains(leaves, ft) || slices.Contains(seen, ft) ||
				ft == reflect.TypeFor[time.Time]() || ft == reflect.TypeFor[template.HTML]() {
				out = append(out, p)
				continue
			}
			if list != "" {
				out = append(out, p) // a list is documented, and each element's fields
			}
			walk(ft, p+list, seen)
		}
	}
	walk(t, prefix, nil)
	return out
}
