package profile_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/local/localtest"
)

// wait bounds every wait for something that takes milliseconds on an idle
// machine; it is generous for a loaded one.
const wait = 30 * time.Second

// product is one product's subsection of the README's "Serving a product":
// the variables of its sh block and the JSON bodies it POSTs, by path.
type product struct {
	name   string
	env    map[string]string
	bodies map[string][]map[string]any
}

const (
	webhooksPath     = "/api/v1/admin/webhooks/"
	applicationsPath = "/api/v1/admin/applications/"
)

// postPath finds the paths a paragraph names as `POST <path>`.
var postPath = regexp.MustCompile("`POST (/[^`\\s]*)`")

// readProduct reads the README subsection "### name" of "Serving a
// product". A JSON block is the body of the last `POST <path>` named before
// it; an sh block sets variables (NAME=value lines, continued with \) for
// `make run`.
func readProduct(t *testing.T, name string) product {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Serving a product\n")
	section, _, _ = strings.Cut(section, "\n## ")
	_, sub, found := strings.Cut(section, "\n### "+name+"\n")
	if !ok || !found {
		t.Fatalf("README has no subsection %q of \"Serving a product\"", name)
	}
	sub, _, _ = strings.Cut(sub, "\n### ")
	p := product{name: name, env: map[string]string{}, bodies: map[string][]map[string]any{}}
	var lang, block, post string
	for line := range strings.SplitSeq(sub, "\n") {
		switch {
		case lang == "" && strings.HasPrefix(line, "```"):
			lang, block = strings.TrimPrefix(line, "```"), ""
		case lang == "":
			for _, m := range postPath.FindAllStringSubmatch(line, -1) {
				post = m[1]
			}
		case line == "```" && lang == "json":
			var body map[string]any
			if err := json.Unmarshal([]byte(block), &body); err != nil || post == "" {
				t.Fatalf("%s: JSON block for %q: %v\n%s", name, post, err, block)
			}
			p.bodies[post] = append(p.bodies[post], body)
			lang = ""
		case line == "```":
			lang = ""
		case lang == "sh":
			p.setVar(t, strings.TrimSpace(strings.TrimSuffix(line, `\`)))
		default:
			block += line + "\n"
		}
	}
	return p
}

// setVar reads one line of an sh block: NAME=value or the command.
func (p *product) setVar(t *testing.T, line string) {
	t.Helper()
	k, v, ok := strings.Cut(line, "=")
	if !ok {
		if line != "make run" {
			t.Fatalf("%s: sh block line %q is neither NAME=value nor make run", p.name, line)
		}
		return
	}
	if strings.HasPrefix(v, `"`) {
		var err error
		if v, err = strconv.Unquote(v); err != nil {
			t.Fatalf("%s: %s: %v", p.name, line, err)
		}
	}
	p.env[k] = v
}

// body returns a copy of the body named name POSTed to path.
func (p product) body(t *testing.T, path, name string) map[string]any {
	t.Helper()
	for _, b := range p.bodies[path] {
		if b["name"] == name {
			raw, _ := json.Marshal(b)
			var c map[string]any
			_ = json.Unmarshal(raw, &c)
			return c
		}
	}
	t.Fatalf("%s: README shows no %s body named %q", p.name, path, name)
	return nil
}

// webhook returns the webhook body named name, its URL moved to base (the
// test's receiver), keeping the path.
func (p product) webhook(t *testing.T, name, base string) map[string]any {
	t.Helper()
	b := p.body(t, webhooksPath, name)
	u, err := url.Parse(fmt.Sprint(b["url"]))
	if err != nil {
		t.Fatal(err)
	}
	b["url"] = base + u.Path
	return b
}

// harnessVars are the variables the harness sets: a product's section must
// leave them to the deployment.
var harnessVars = []string{"HERALD_ADDR", "HERALD_ADMIN_TOKEN", "HERALD_DATA_DIR", "HERALD_INGEST_TOPIC",
	"HERALD_INGEST_SUBSCRIPTION", "HERALD_DELIVER_TOPIC", "HERALD_DELIVER_SUBSCRIPTION", "HERALD_INGEST_CONCURRENCY"}

// deployment is Herald started in local mode as a product deploys it.
type deployment struct {
	*contract.API
	sys *localtest.System
}

// start starts local mode with p's variables, the harness's own (a free
// port, a data dir and topic names of the test's, one event ingested at a
// time so that a later event's delivery proves the earlier ones were
// matched), and extra. It stops when the test ends.
func start(t *testing.T, p product, now func() time.Time, extra map[string]string) *deployment {
	t.Helper()
	for _, k := range harnessVars {
		if _, set := p.env[k]; set {
			t.Fatalf("%s sets %s, which the deployment sets", p.name, k)
		}
	}
	env := map[string]string{"HERALD_INGEST_CONCURRENCY": "1", "HERALD_LOG_LEVEL": "info"}
	maps.Copy(env, p.env)
	maps.Copy(env, extra)
	sys := localtest.Start(t, env, localtest.Options{Now: now})
	return &deployment{API: contract.NewAPI(t, sys.URL, sys.Config.AdminToken), sys: sys}
}

// hook is the part of a webhook's view the tests read.
type hook struct {
	ID            string     `json:"id"`
	Secret        string     `json:"secret"`
	Enabled       bool       `json:"enabled"`
	Validated     bool       `json:"validated"`
	RetrySchedule []string   `json:"retry_schedule"`
	PauseLimit    int        `json:"pause_queue_limit"`
	PayloadFormat string     `json:"payload_format"`
	ValidationErr string     `json:"validation_error"`
	ValidatedAt   *time.Time `json:"validated_at"`
}

// create creates a webhook with body.
func (d *deployment) create(t *testing.T, body map[string]any) hook {
	t.Helper()
	var h hook
	if status := d.Do("POST", webhooksPath, body, &h); status != http.StatusCreated {
		t.Fatalf("create webhook %v: status %d", body["name"], status)
	}
	return h
}

// publish publishes raw through the admin API and returns its event_id.
func (d *deployment) publish(t *testing.T, raw string) string {
	t.Helper()
	var out struct {
		EventID string `json:"event_id"`
	}
	if status := d.Do("POST", "/api/v1/events", []byte(raw), &out); status != http.StatusAccepted {
		t.Fatalf("publish %s: status %d", raw, status)
	}
	return out.EventID
}

// deliveries returns a webhook's deliveries, newest first.
func (d *deployment) deliveries(t *testing.T, webhookID string) []contract.Delivery {
	t.Helper()
	return d.Deliveries(webhookID, "?per_page=100").Items
}

// waitDeliveries waits until a webhook's deliveries satisfy ok and returns
// them.
func (d *deployment) waitDeliveries(t *testing.T, webhookID, what string, ok func([]contract.Delivery) bool) []contract.Delivery {
	t.Helper()
	var ds []contract.Delivery
	heraldtest.Eventually(t, wait, func() bool {
		ds = d.deliveries(t, webhookID)
		return ok(ds)
	}, "%s: %s", webhookID, what)
	return ds
}

// nextAfter reports whether a delivery's next attempt is due step after its
// last one (within the API's millisecond times; a few seconds more allowed:
// the step counts from when the attempt was recorded, which on a loaded
// machine is later than when it began).
func nextAfter(d contract.Delivery, step time.Duration) bool {
	if d.NextAttemptAt == nil || len(d.Attempts) == 0 {
		return false
	}
	gap := d.NextAttemptAt.Sub(d.Attempts[len(d.Attempts)-1].At)
	return gap > step-time.Second && gap < step+5*time.Second
}
