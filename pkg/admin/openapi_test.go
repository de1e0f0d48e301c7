package admin_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi-validator/schema_validation"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/contract"
)

// newConformingFixture is newFixture whose client checks every exchange
// (f.do and the helpers built on it) against the OpenAPI document.
func newConformingFixture(t *testing.T, cfg admin.Config) *fixture {
	t.Helper()
	f := newFixture(t, cfg)
	c := f.srv.Client()
	c.Transport = contract.Transport(t, c.Transport)
	return f
}

// TestOpenAPIDocumentValid parses the document with libopenapi, validates it
// against the OpenAPI 3.1 specification schema, resolves every reference,
// and compiles every component schema against the JSON Schema 2020-12
// metaschema.
func TestOpenAPIDocumentValid(t *testing.T) {
	t.Parallel()
	doc, err := libopenapi.NewDocument(admin.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", v)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("build model: %v", err)
	}
	if errs := model.Index.GetReferenceIndexErrors(); len(errs) > 0 {
		t.Fatalf("reference errors: %v", errs)
	}
	if ok, errs := schema_validation.ValidateOpenAPIDocument(doc); !ok {
		for _, e := range errs {
			t.Errorf("%v", e)
			for _, f := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s", f.Reason, f.FieldPath)
			}
		}
	}

	var raw map[string]any
	if err := json.Unmarshal(admin.OpenAPI(), &raw); err != nil {
		t.Fatal(err)
	}
	// The components as one resource, so $refs between schemas resolve.
	schemas := raw["components"].(map[string]any)["schemas"].(map[string]any)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	const base = "https://herald.invalid/openapi.json"
	if err := c.AddResource(base, map[string]any{"components": map[string]any{"schemas": schemas}}); err != nil {
		t.Fatal(err)
	}
	for name := range schemas {
		if _, err := c.Compile(base + "#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
}

// documentOperations returns "METHOD path" for every operation in the
// document, with its x-required-scope ("" for none) and whether it is
// bearer-secured.
func documentOperations(t *testing.T) map[string]operation {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]operation `json:"paths"`
	}
	if err := json.Unmarshal(admin.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	ops := map[string]operation{}
	for path, item := range doc.Paths {
		for method, op := range item {
			ops[strings.ToUpper(method)+" "+path] = op
		}
	}
	return ops
}

type operation struct {
	Scope       string                `json:"x-required-scope"`
	Description string                `json:"description"`
	Security    []map[string][]string `json:"security"`
	Parameters  []json.RawMessage     `json:"parameters"`
	Responses   map[string]any        `json:"responses"`
}

// routes returns the mux patterns routes.go registers, evaluated from its
// source ("GET /api/v1/admin/webhooks/{$}"), without the catch-all.
func routes(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	// eval evaluates a string constant expression: literals, constants
	// declared before it in the file, and their concatenation.
	consts := map[string]string{}
	var eval func(ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(e.Value)
			return s, err == nil && e.Kind == token.STRING
		case *ast.Ident:
			s, ok := consts[e.Name]
			return s, ok
		case *ast.BinaryExpr:
			x, okx := eval(e.X)
			y, oky := eval(e.Y)
			return x + y, okx && oky && e.Op == token.ADD
		}
		return "", false
	}
	var out []string
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) {
					if s, ok := eval(n.Values[i]); ok {
						consts[name.Name] = s
					}
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "mux" {
				return true
			}
			p, ok := eval(n.Args[0])
			if !ok {
				t.Fatalf("routes.go: cannot evaluate the route pattern at %s", fset.Position(n.Pos()))
			}
			// GET /metrics is the Prometheus exposition, mounted only when
			// Config.Metrics is set: not part of the JSON API the document
			// describes.
			if p != "/" && p != "GET /metrics" {
				out = append(out, p)
			}
		}
		return true
	})
	return out
}

// TestOpenAPIRoutes checks that every route routes.go registers is in the
// document and the document has no other operation; that every bearer
// operation names its scope (as x-required-scope and in its description)
// and documents 401, 403, 500 and 503; and that every route really exists
// on the server: without a token it answers 401 (the catch-all would answer
// 404), and the public ones answer without one.
func TestOpenAPIRoutes(t *testing.T) {
	t.Parallel()
	ops := documentOperations(t)
	registered := map[string]bool{}
	for _, p := range routes(t) {
		key := strings.TrimSuffix(p, "{$}")
		registered[key] = true
		if _, ok := ops[key]; !ok {
			t.Errorf("route %q is not in the document", p)
		}
	}
	if len(registered) < 20 {
		t.Fatalf("found only %d routes in routes.go: %v", len(registered), registered)
	}
	scopes := []string{"webhooks:read", "webhooks:write", "events:publish", "admin:read", "admin:write"}
	public := []string{"GET /healthz", "GET /openapi.json", "POST /oauth/token"}
	anyToken := []string{"GET /api/v1/admin/whoami"} // any valid token: no scope, no 403
	f := newConformingFixture(t, admin.Config{})
	for key, op := range ops {
		if !registered[key] {
			t.Errorf("the document has %s, which routes.go does not register", key)
		}
		method, path, _ := strings.Cut(key, " ")
		path = strings.NewReplacer("{webhook_id}", "wh_x", "{delivery_id}", "1", "{application_id}", "app_x").Replace(path)
		if slices.Contains(public, key) {
			if len(op.Security) > 0 && key != "POST /oauth/token" {
				t.Errorf("%s: security %v, want none", key, op.Security)
			}
			// Not checked against the document: a stub endpoint answers 501.
			req, _ := http.NewRequest(method, f.srv.URL+path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusUnauthorized {
				t.Errorf("%s without a token: %d", key, resp.StatusCode)
			}
			continue
		}
		switch {
		case slices.Contains(anyToken, key):
			if op.Scope != "" || !strings.Contains(op.Description, "Any valid token") {
				t.Errorf("%s: x-required-scope %q, description %q", key, op.Scope, op.Description)
			}
		case !slices.Contains(scopes, op.Scope) || !strings.Contains(op.Description, "`"+op.Scope+"`"):
			t.Errorf("%s: x-required-scope %q, description %q", key, op.Scope, op.Description)
		}
		if len(op.Security) != 1 || op.Security[0]["bearer"] == nil {
			t.Errorf("%s: security %v, want [{bearer: []}]", key, op.Security)
		}
		for _, status := range []string{"401", "403", "500", "503"} {
			if op.Responses[status] == nil && (status != "403" || !slices.Contains(anyToken, key)) {
				t.Errorf("%s: no %s response", key, status)
			}
		}
		if op.Responses["501"] != nil {
			t.Errorf("%s documents 501", key)
		}
		if status, raw := f.do(t, "", method, path, nil, nil); status != http.StatusUnauthorized {
			t.Errorf("%s without a token: %d %s, want 401", key, status, raw)
		}
	}
}

// TestOpenAPIServed checks GET /openapi.json: no auth, the embedded
// document as JSON, cacheable and revalidated by ETag.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	f := newConformingFixture(t, admin.Config{})
	resp, err := http.Get(f.srv.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || doc.OpenAPI != "3.1.0" || len(doc.Paths) == 0 {
		t.Fatalf("status %d, openapi %q, %d paths", resp.StatusCode, doc.OpenAPI, len(doc.Paths))
	}
	etag, cc := resp.Header.Get("ETag"), resp.Header.Get("Cache-Control")
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" || etag == "" || !strings.Contains(cc, "max-age") {
		t.Fatalf("Content-Type %q, ETag %q, Cache-Control %q", ct, etag, cc)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/openapi.json", nil)
	req.Header.Set("If-None-Match", etag)
	again, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %d, want 304", again.StatusCode)
	}
	if raw, err := os.ReadFile("openapi.json"); err != nil || string(raw) != string(admin.OpenAPI()) {
		t.Fatalf("admin.OpenAPI() is not openapi.json (%v)", err)
	}
}
