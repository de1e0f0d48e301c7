package console_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// TestConsoleInChromium runs the console's flow in headless Chromium.
func TestConsoleInChromium(t *testing.T) { consoleFlow(t, newChromium(t)) }

// TestConsoleInFirefox runs the console's flow in headless Firefox.
func TestConsoleInFirefox(t *testing.T) { consoleFlow(t, newFirefox(t)) }

// consoleFlow drives the console in a headless browser against a
// real local mode and an httptest receiver: sign in with the admin token,
// create a webhook (the API's 422 shown next to its field first), send a
// test, validate, rotate the secret, edit, publish an event and see its
// delivery appear, make the receiver fail and see the attempt, the
// unhealthy mark and the charts, retry it (the answer's "retry" shown); the
// call log with the deliveries of two webhooks newest first, where they
// were sent and what matched them, a new one appearing on top without a
// reload, narrowed by a status filter, an older page through Older; a
// webhook's own deliveries paged and filtered (event type, time) by the
// API; recover
// the failed delivery through the recover form (a 422 at its field first)
// and see it succeed in the API; switch the charts to the last day; send
// the succeeded delivery again after a confirmation; pause and resume,
// delete with confirmation, create a tenant-bound application and edit it
// down to read only (the API's 422s at their fields first), then sign in
// with its credentials and see only that tenant's webhook,
// without the controls its scope does not allow. Any script error or CSP
// violation fails it.
func consoleFlow(t *testing.T, b *browser) {
	s := startLocal(t, nil)
	recv := newReceiver(t)

	b.run("sign in with the admin token",
		navigate(s.URL+"/console/"),
		visible("#token"),
		// Typed, and submitted with Enter: the form works from the keyboard.
		keys("#token", adminToken+enter),
		until(`document.querySelector("#webhooks") !== null && document.querySelector("#scopes").textContent.includes("webhooks:write")`))
	if b.eval(`sessionStorage.getItem("herald.console.token")`) != adminToken || b.eval("location.href") != s.URL+"/console/#/webhooks" {
		t.Fatalf("the token is not in sessionStorage only: %s", b.eval("location.href"))
	}

	b.run("a 422 shown next to its field",
		click("#new-webhook"), visible("#f-url"),
		fill("#f-name", "Orders"), fill("#f-url", "ftp://example.invalid/"), click("#save"),
		until(text("#e-url")+` !== "" && document.querySelector("#f-url").getAttribute("aria-invalid") === "true"`))
	b.run("create the webhook",
		fill("#f-url", recv.URL+"/hook"), fill("#f-events", "order.*"), fill("#f-retry_schedule", "1s"),
		fill("#f-unhealthy_after", "1"), click("#save"),
		until(text("#new-secret")+`.startsWith("whsec_")`), click("#open-webhook"),
		until(text("#webhook-health")+`.includes("enabled")`))
	id := b.eval(`location.hash.split("/")[2]`)

	b.run("send a test", click("#send-test"), until(text("#test-result")+`.includes("test delivered") && `+text("#test-result")+`.includes("200")`))
	b.run("validate", click("#validate"), until(text("#validate-result")+` === "Validated."`))
	b.run("rotate the secret: the new one shown once, with a copy button",
		click("#rotate"), until(text("#new-secret")+`.startsWith("whsec_") && document.querySelector("#copy-secret") !== null`))
	b.run("edit: a 422 at its field, then saved",
		click("#edit"), until(`(document.querySelector("#f-name") || {}).value === "Orders"`),
		fill("#f-retry_schedule", "1s, 500ms"), click("#save"),
		until(text("#e-retry_schedule")+` !== ""`),
		fill("#f-retry_schedule", "1s"), fill("#f-name", "Orders v2"), click("#save"),
		until(`location.hash === "#/webhooks/`+id+`" && `+text("h1")+` === "Orders v2"`))

	b.run("publish an event from the events page, its delivery appears",
		navigate(s.URL+"/console/#/events"), until(`document.querySelector("#catalogue tbody tr") !== null`),
		fill("#publish-type", "order.created"), fill("#publish-data", `{"n": 1}`), click("#publish-form button"),
		until(text("#publish-result")+`.includes("evt_")`),
		navigate(s.URL+"/console/#/webhooks/"+id),
		until(`document.querySelector('#delivery-rows tr[data-status="succeeded"]') !== null`))

	recv.failing.Store(true)
	s.call(t, adminToken, "POST", "/api/v1/events", map[string]any{"event_type": "order.paid", "data": map[string]any{"n": 2}})
	b.run("the failure and the unhealthy mark",
		until(`document.querySelector('#delivery-rows tr[data-status="failed"]') !== null`),
		until(text("#webhook-health")+`.includes("unhealthy") && `+text("#webhook-failures")+` !== "0"`),
		until(text("#webhook-facts")+`.includes("Failing since") && !`+text("#webhook-facts")+`.includes("Failing since—")`),
		until(`document.querySelectorAll("#chart-outcomes rect.bad").length > 0 && document.querySelectorAll("#chart-outcomes rect.ok").length > 0`),
		until(`document.querySelectorAll("#chart-latency circle").length > 0 && `+text("#status")+` === ""`))
	b.shot("webhook-failing", "webhook")
	b.run("the failed attempts", click(`#delivery-rows tr[data-status="failed"] a`),
		until(text("#attempt-rows")+`.includes("500") && `+text("#attempt-rows")+`.includes("receiver is down")`),
		until(text("#payload")+`.includes("order.paid")`))
	b.shot("delivery-failed", "delivery")

	did := b.eval(`location.hash.split("/")[4]`)
	attempts := func() int {
		return len(s.call(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id+"/deliveries/"+did, nil)["attempts"].([]any))
	}
	n := attempts()
	b.run("retry it while the receiver still fails: the answer's retry shown, failed again",
		until(`document.querySelector("#retry").checkVisibility() && !document.querySelector("#resend").checkVisibility()`),
		click("#retry"), until(text("#retry-result")+`.includes("manual_attempt")`),
		until(`document.querySelectorAll("#attempt-rows tr").length === `+strconv.Itoa(n+1)+` && `+text("#delivery-status")+` === "failed"`))

	// The call log: the deliveries of two webhooks, newest first, a new one
	// on top without a reload, and a status filter.
	recv.failing.Store(false) // the failed delivery stays failed until recovered
	audit := s.call(t, adminToken, "POST", "/api/v1/admin/webhooks/", map[string]any{"name": "Audit",
		"url": recv.URL + "/audit", "events": []string{"audit.*"}, "validate": false})["id"].(string)
	rows := `document.querySelectorAll("#log-rows tr[data-id]")`
	b.run("the call log", navigate(s.URL+"/console/#/deliveries"), until(rows+`.length === 2 && !document.querySelector("#log-older").checkVisibility()`))
	b.eval(`window.heraldMark = "not reloaded"`)
	s.call(t, adminToken, "POST", "/api/v1/events", map[string]any{"event_type": "audit.opened", "data": map[string]any{"n": 3}})
	b.run("a new delivery appears on top",
		until(rows+`.length === 3 && `+rows+`[0].dataset.webhook === "`+audit+`" && `+rows+`[0].dataset.status === "succeeded"`))
	if mark := b.eval(`window.heraldMark`); mark != "not reloaded" {
		t.Errorf("the call log was reloaded: %q", mark)
	}
	var logged []struct{ ID, Webhook, Status, URL, Match string }
	if err := json.Unmarshal([]byte(b.eval(`JSON.stringify([...`+rows+`].map((r) => ({ID: r.dataset.id, Webhook: r.dataset.webhook,
		Status: r.dataset.status, URL: r.querySelector(".url").textContent, Match: r.querySelector(".match").textContent})))`)), &logged); err != nil {
		t.Fatal(err)
	}
	want := []struct{ webhook, status, url, match string }{{audit, "succeeded", "/audit", "pattern audit.*"},
		{id, "failed", "/hook", "pattern order.*"}, {id, "succeeded", "/hook", "pattern order.*"}}
	for i, r := range logged {
		w := want[i]
		if r.Webhook != w.webhook || r.Status != w.status || r.URL != recv.URL+w.url || r.Match != w.match {
			t.Errorf("call log row %d: %+v, want %+v", i, r, w)
		}
		if i > 0 && idOf(r.ID) >= idOf(logged[i-1].ID) {
			t.Errorf("call log not newest first: %+v", logged)
		}
	}
	if logged[1].ID != did {
		t.Errorf("call log's failed delivery is %s, want %s", logged[1].ID, did)
	}
	b.shot("call-log", "")
	b.run("a status filter narrows it to the failed delivery",
		fill("#log-status", "failed"), click("#log-filter button[type=submit]"),
		until(rows+`.length === 1 && `+rows+`[0].dataset.id === "`+did+`"`))

	// A page holds 50: 50 more deliveries make an older page.
	for i := range 50 {
		s.call(t, adminToken, "POST", "/api/v1/events", map[string]any{"event_type": "audit.logged", "data": map[string]any{"n": 4 + i}})
	}
	heraldtest.Eventually(t, 30*time.Second, func() bool {
		return len(s.call(t, adminToken, "GET", "/api/v1/admin/deliveries?per_page=100", nil)["items"].([]any)) == 53
	}, "53 deliveries")
	b.run("Older follows next_after, newest first across the pages",
		fill("#log-status", ""), click("#log-filter button[type=submit]"),
		until(rows+`.length === 50 && document.querySelector("#log-older").checkVisibility()`), click("#log-older"),
		until(rows+`.length === 53 && !document.querySelector("#log-older").checkVisibility()`),
		until(`[...`+rows+`].every((r, i, all) => i === 0 || Number(r.dataset.id) < Number(all[i - 1].dataset.id)) && `+
			rows+`[52].dataset.id === "`+logged[2].ID+`"`))

	// The audit webhook's 51 deliveries in its page: the API pages and
	// filters them, so a filter finds the oldest, beyond the first page.
	hookRows := `document.querySelectorAll("#delivery-rows tr[data-id]")`
	b.run("a webhook's deliveries: a page, and Older",
		navigate(s.URL+"/console/#/webhooks/"+audit),
		until(hookRows+`.length === 50 && document.querySelector("#delivery-older").checkVisibility()`), click("#delivery-older"),
		until(hookRows+`.length === 51 && !document.querySelector("#delivery-older").checkVisibility() && `+
			hookRows+`[50].dataset.id === "`+logged[0].ID+`"`))
	b.run("a webhook's deliveries filtered by the API: the event type of the oldest, then a window before them",
		fill("#filter-type", "audit.opened"), click("#delivery-filter button[type=submit]"),
		until(hookRows+`.length === 1 && `+hookRows+`[0].dataset.id === "`+logged[0].ID+`" && `+text("#delivery-count")+`.startsWith("1 shown")`),
		fill("#filter-type", ""), fill("#filter-until", time.Now().Add(-time.Hour).Format("2006-01-02T15:04")),
		click("#delivery-filter button[type=submit]"),
		until(hookRows+`.length === 0 && `+text("#delivery-rows")+` === "No deliveries."`))

	b.run("recover: a time in the future is a 422 next to its field",
		navigate(s.URL+"/console/#/webhooks/"+id),
		// The audit webhook's page had a recover form too: wait for this one's.
		until(text("h1")+` === "Orders v2" && document.querySelector("#recover-since") !== null`),
		fill("#recover-since", time.Now().Add(24*time.Hour).Format("2006-01-02T15:04")), click("#recover-form button"),
		until(text("#e-recover-since")+`.includes("future") && document.querySelector("#recover-since").getAttribute("aria-invalid") === "true"`))
	b.run("recover the failed since an hour ago",
		fill("#recover-since", time.Now().Add(-time.Hour).Format("2006-01-02T15:04")), click("#recover-form button"),
		until(text("#recover-result")+` === "Recovering 1 failed delivery." && `+text("#e-recover-since")+` === ""`),
		until(`document.querySelector('#delivery-rows tr[data-id="`+did+`"][data-status="succeeded"]') !== null`))
	if d := s.call(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id+"/deliveries/"+did, nil); d["status"] != "succeeded" || len(d["attempts"].([]any)) != n+2 {
		t.Errorf("recovered in the console, the API has %v with %d attempts, want succeeded with %d", d["status"], len(d["attempts"].([]any)), n+2)
	}
	heraldtest.Eventually(t, 10*time.Second, func() bool {
		return s.call(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id, nil)["unhealthy"] == false
	}, "after the recovery succeeded the webhook is still unhealthy")

	// Over a day, 30-minute bars: 360 / 48 wide, less the gap.
	b.run("the day toggle draws the last day",
		until(`document.querySelector("#chart-outcomes svg[data-range=hour]") !== null`), click("#range-day"),
		until(`document.querySelector("#chart-outcomes svg[data-range=day] rect.ok[width='6.5']") !== null && `+
			`document.querySelector("#chart-latency svg[data-range=day] circle") !== null && `+
			`document.querySelector("#range-day").getAttribute("aria-pressed") === "true"`))
	b.shot("webhook-day", "")

	b.run("a succeeded delivery is sent again after a confirmation",
		navigate(s.URL+"/console/#/webhooks/"+id+"/deliveries/"+did),
		until(text("#delivery-status")+` === "succeeded" && !document.querySelector("#retry").checkVisibility() && document.querySelector("#resend").checkVisibility()`),
		click("#resend"), visible("#confirm-dialog"), click("#confirm-ok"),
		until(text("#retry-result")+`.includes("forced_resend")`),
		until(`document.querySelectorAll("#attempt-rows tr").length === `+strconv.Itoa(n+3)+` && `+text("#delivery-status")+` === "succeeded"`))
	if got := attempts(); got != n+3 {
		t.Errorf("sent again in the console, the API has %d attempts, want %d", got, n+3)
	}

	b.run("pause and resume",
		navigate(s.URL+"/console/#/webhooks/"+id), until(text("#pause")+` === "Pause"`),
		click("#pause"), until(text("#webhook-health")+`.includes("paused") && `+text("#pause")+` === "Resume"`),
		click("#pause"), until(`!`+text("#webhook-health")+`.includes("paused") && `+text("#pause")+` === "Pause"`))
	if hook := s.call(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id, nil); hook["paused"] != false {
		t.Errorf("resumed in the console, paused in the API: %v", hook)
	}

	b.run("delete with confirmation: cancel keeps it, confirm deletes it",
		click("#delete"), visible("#confirm-dialog"), click("#confirm-cancel"),
		absent("#confirm-dialog"), until(text("h1")+` === "Orders v2"`),
		click("#delete"), click("#confirm-ok"),
		until(`location.hash === "#/webhooks" && document.querySelector('#webhook-rows tr[data-id="`+id+`"]') === null && document.querySelector("#webhook-rows td") !== null`))
	if status := s.status(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id); status != 404 {
		t.Errorf("deleted in the console, GET answers %d", status)
	}

	// A tenant-bound application, created in the console with read and
	// write scopes, then edited down to read only.
	s.call(t, adminToken, "POST", "/api/v1/admin/webhooks/", map[string]any{"name": "Tenant B hook",
		"url": recv.URL + "/b", "tenant_id": "tnt_b", "validate": false})
	b.run("create an application: its secret shown once",
		navigate(s.URL+"/console/#/applications"), visible("#app-name"),
		fill("#app-name", "tenant b viewer"), click(`#application-form input[value="webhooks:read"]`),
		click(`#application-form input[value="webhooks:write"]`),
		fill("#app-tenant", "tnt_b"), click("#application-form button[type=submit]"),
		until(text("#new-secret")+` !== "" && `+text("#application-rows")+`.includes("tenant tnt_b")`))
	app := map[string]any{"client_id": b.eval(text("#new-client-id")), "client_secret": b.eval(text("#new-secret"))}
	appID := b.eval(`document.querySelector("#application-rows tr[data-id]").dataset.id`)
	edit := func(sc string) string { return `#application-edit-form input[value="` + sc + `"]` }
	b.run("edit it: the API's 422s at their fields",
		click("#application-rows button.edit"), visible("#application-edit-form"),
		fill("#f-app-name", ""), fill("#f-app-token_lifetime", "10"), click(edit("webhooks:read")), click(edit("webhooks:write")),
		click("#save-app"),
		until(text("#e-app-name")+` !== "" && `+text("#e-app-token_lifetime")+`.includes("60") && `+text("#e-app-scopes")+` !== "" && `+
			`document.querySelector("#f-app-name").getAttribute("aria-invalid") === "true" && `+
			`document.querySelector(`+quote(edit("webhooks:read"))+`).getAttribute("aria-invalid") === "true"`))
	b.shot("application-edit-422", "")
	b.run("edit it: renamed, described, read only, tokens for 10 minutes",
		fill("#f-app-name", "tenant b reader"), fill("#f-app-description", "reads tnt_b's webhooks"),
		fill("#f-app-token_lifetime", "600"), click(edit("webhooks:read")), click("#save-app"),
		until(`document.querySelector("#application-edit-form") === null && `+text("#application-rows")+`.includes("tenant b reader")`))
	got := s.call(t, adminToken, "GET", "/api/v1/admin/applications/"+appID, nil)
	if got["name"] != "tenant b reader" || got["description"] != "reads tnt_b's webhooks" || got["token_lifetime"] != 600.0 ||
		fmt.Sprint(got["scopes"]) != "[webhooks:read]" || got["tenant_id"] != "tnt_b" {
		t.Errorf("edited in the console, the API has %v", got)
	}
	b.run("sign in as the tenant's application",
		click("#sign-out"), visible("#client-id"),
		fill("#client-id", app["client_id"].(string)), fill("#client-secret", app["client_secret"].(string)),
		click("#app-form button"),
		until(text("#identity")+`.includes("tenant tnt_b") && document.querySelectorAll("#webhook-rows tr[data-id]").length === 1`))
	if got := b.eval(`[...document.querySelectorAll("#webhook-rows tr[data-id] th a")].map(a => a.textContent).join(",")`); got != "Tenant B hook" {
		t.Errorf("the tenant's application sees %q, want only its tenant's webhook", got)
	}
	if got := b.eval(`String(document.querySelector("#new-webhook") !== null) + " " + [...document.querySelectorAll("#nav a")].map(a => a.textContent).join(",")`); got != "false Webhooks,Call log,Events" {
		t.Errorf("read-only tenant token: new-webhook offered / nav = %q, want \"false Webhooks,Call log,Events\"", got)
	}
	b.run("no write controls on its webhook", click("#webhook-rows tr[data-id] th a"),
		until(text("#webhook-health")+` !== ""`), absent("#send-test"))
	b.shot("tenant-view", "")
}

// idOf parses a delivery id.
func idOf(id string) int64 {
	n, _ := strconv.ParseInt(id, 10, 64)
	return n
}
