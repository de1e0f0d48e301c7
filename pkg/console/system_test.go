package console_test

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/heraldhq/herald/pkg/local/localtest"
)

const adminToken = "console-test-admin-token-of-32-bytes-or-more"

// system is a running local mode and how to call its admin API.
type system struct {
	URL string
}

// startLocal starts local mode on mem:// collections and memq:// topics of
// its own, with extra variables set; it stops when the test ends.
func startLocal(t testing.TB, extra map[string]string) *system {
	t.Helper()
	env := localtest.MemCollections()
	env["HERALD_ADMIN_TOKEN"] = adminToken
	env["HERALD_RETRY_SCHEDULE"] = "1s"
	maps.Copy(env, extra)
	return &system{URL: localtest.Start(t, env, localtest.Options{}).URL}
}

// status sends a request without a body and returns the answer's status.
func (s *system) status(t testing.TB, token, method, path string) int {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// call sends a JSON request to the admin API with token and decodes a 2xx
// answer into a map; any other answer fails the test.
func (s *system) call(t testing.TB, token, method, path string, body any) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, s.URL+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, got)
	}
	out := map[string]any{}
	_ = json.Unmarshal(got, &out)
	return out
}

// receiver is an endpoint that answers 200, or 500 while failing is set.
type receiver struct {
	*httptest.Server
	failing atomic.Bool
	got     atomic.Int64
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.got.Add(1)
		if r.failing.Load() {
			http.Error(w, "receiver is down for the test", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(r.Close)
	return r
}

// TestConsoleOff: HERALD_CONSOLE=false serves no console; the API is there.
func TestConsoleOff(t *testing.T) {
	t.Parallel()
	s := startLocal(t, map[string]string{"HERALD_CONSOLE": "false"})
	for path, want := range map[string]int{"/console/": http.StatusNotFound, "/healthz": http.StatusOK} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	on := startLocal(t, nil)
	resp, err := http.Get(on.URL + "/console")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/console/" {
		t.Errorf("/console: %d at %s, want the console at /console/", resp.StatusCode, resp.Request.URL.Path)
	}
}
