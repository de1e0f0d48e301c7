package catalogue_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	catalogue "github.com/heraldhq/herald/events"
	"github.com/heraldhq/herald/pkg/herald"
)

// TestCatalogueListsEveryOwnEvent reads every Event* constant declared in
// pkg/herald and checks the catalogue lists it as Herald's own.
func TestCatalogueListsEveryOwnEvent(t *testing.T) {
	c, err := catalogue.Load()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]catalogue.EventType{}
	for _, e := range c.EventTypes {
		if _, dup := listed[e.Type]; dup {
			t.Errorf("%s is listed twice", e.Type)
		}
		listed[e.Type] = e
		if e.Description == "" || e.Source == "" {
			t.Errorf("%s has no description or source", e.Type)
		}
		if e.Category != "" && !slices.Contains(herald.Categories, e.Category) {
			t.Errorf("%s has unknown category %q", e.Type, e.Category)
		}
		if herald.IsOwnEvent(e.Type) != (e.Source == "herald") {
			t.Errorf("%s has source %q", e.Type, e.Source)
		}
	}
	consts := ownEventConstants(t)
	if len(consts) < 10 {
		t.Fatalf("found only %d Event* constants in pkg/herald: %v", len(consts), consts)
	}
	for name, value := range consts {
		if e, ok := listed[value]; !ok || e.Source != "herald" {
			t.Errorf("herald.%s (%q) is not in the catalogue as a herald event", name, value)
		}
	}
	if !slices.Equal(c.Categories, herald.Categories) {
		t.Errorf("categories = %v, want %v", c.Categories, herald.Categories)
	}
}

// ownEventConstants returns the string constants named Event* declared in
// pkg/herald's non-test files, by name.
func ownEventConstants(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../pkg/herald/*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Event") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						out[name.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
	return out
}
