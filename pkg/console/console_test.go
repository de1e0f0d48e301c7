package console_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/console"
)

// TestHandlerServesFilesWithStrictHeaders: every file comes with the
// console's Content-Security-Policy, nosniff and no framing; the page loads
// its script as a module from a file (nothing inline); other methods are 405.
func TestHandlerServesFilesWithStrictHeaders(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(console.Handler())
	t.Cleanup(srv.Close)
	for path, wantType := range map[string]string{"/console/": "text/html", "/console/app.js": "javascript",
		"/console/style.css": "text/css", "/console/webhooks.js": "javascript"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != http.StatusOK || !strings.Contains(h.Get("Content-Type"), wantType) {
			t.Errorf("%s: %d %q", path, resp.StatusCode, h.Get("Content-Type"))
		}
		if h.Get("Content-Security-Policy") != console.Policy || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
		if path == "/console/" && (!strings.Contains(string(body), `<script type="module" src="app.js">`) ||
			strings.Contains(string(body), "<style") || strings.Contains(string(body), " style=")) {
			t.Errorf("index.html loads no module or has inline style:\n%s", body)
		}
	}
	for _, p := range []string{"'unsafe-inline'", "'unsafe-eval'", "*"} {
		if strings.Contains(console.Policy, p) {
			t.Errorf("policy allows %s: %s", p, console.Policy)
		}
	}
	resp, err := http.Post(srv.URL+"/console/", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}
