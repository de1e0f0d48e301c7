package localtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/local/localtest"
)

// TestStartReadsTheVariables: the variables a test sets reach the running
// system through pkg/config (the admin token it answers to, the retry
// schedule, mem:// collections), over defaults that make two systems share nothing.
func TestStartReadsTheVariables(t *testing.T) {
	t.Parallel()
	env := localtest.MemCollections()
	env["HERALD_ADMIN_TOKEN"] = "localtest-own-admin-token-0123456789abcdef"
	env["HERALD_RETRY_SCHEDULE"] = "1s,2s"
	a := localtest.Start(t, env, localtest.Options{})
	b := localtest.Start(t, nil, localtest.Options{})
	if a.Config.AdminToken != env["HERALD_ADMIN_TOKEN"] || b.Config.AdminToken != localtest.AdminToken {
		t.Fatalf("admin tokens %q, %q", a.Config.AdminToken, b.Config.AdminToken)
	}
	if len(a.Config.RetrySchedule) != 2 {
		t.Fatalf("retry schedule %v, want HERALD_RETRY_SCHEDULE's two steps", a.Config.RetrySchedule)
	}
	if !strings.HasPrefix(a.Config.WebhooksCollection, "mem://") || !strings.HasPrefix(b.Config.WebhooksCollection, "bolt://") {
		t.Fatalf("collections %s, %s", a.Config.WebhooksCollection, b.Config.WebhooksCollection)
	}
	if a.URL == b.URL || a.Config.DataDir == b.Config.DataDir || a.Config.IngestTopic == b.Config.IngestTopic {
		t.Fatalf("two systems share an address, a data dir or a topic: %+v %+v", a.Config, b.Config)
	}
	if got := status(t, a.URL, a.Config.AdminToken); got != http.StatusOK {
		t.Fatalf("listing webhooks with the token set: %d", got)
	}
	if got := status(t, a.URL, localtest.AdminToken); got != http.StatusUnauthorized {
		t.Fatalf("listing webhooks with the default token on a system that set its own: %d", got)
	}
}

// status lists webhooks at base with token and returns the answer's status.
func status(t *testing.T, base, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/admin/webhooks/", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	_ = json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode
}
