package console_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestConsoleInChromium drives the console in headless Chromium against a
// real local mode and an httptest receiver: sign in with the admin token,
// create a webhook (the API's 422 shown next to its field first), send a
// test, validate, rotate the secret, edit, publish an event and see its
// delivery appear, make the receiver fail and see the attempt and the
// unhealthy mark, retry it, pause and resume, delete with confirmation,
// create a tenant-bound read-only application, then sign in with its
// credentials and see only that tenant's webhook, without the controls its
// scope does not allow. Any script error or CSP violation fails it.
func TestConsoleInChromium(t *testing.T) {
	b := newBrowser(t)
	s := startLocal(t, nil)
	recv := newReceiver(t)

	b.run("sign in with the admin token",
		chromedp.Navigate(s.URL+"/console/"),
		chromedp.WaitVisible(chromedp.CSS("#token")),
		// Typed, and submitted with Enter: the form works from the keyboard.
		chromedp.SendKeys(chromedp.CSS("#token"), adminToken+kb.Enter),
		until(`document.querySelector("#webhooks") !== null && document.querySelector("#scopes").textContent.includes("webhooks:write")`))
	if b.eval(`sessionStorage.getItem("herald.console.token")`) != adminToken || b.eval("location.href") != s.URL+"/console/#/webhooks" {
		t.Fatalf("the token is not in sessionStorage only: %s", b.eval("location.href"))
	}

	b.run("a 422 shown next to its field",
		click("#new-webhook"), chromedp.WaitVisible(chromedp.CSS("#f-url")),
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
		chromedp.Navigate(s.URL+"/console/#/events"), until(`document.querySelector("#catalogue tbody tr") !== null`),
		fill("#publish-type", "order.created"), fill("#publish-data", `{"n": 1}`), click("#publish-form button"),
		until(text("#publish-result")+`.includes("evt_")`),
		chromedp.Navigate(s.URL+"/console/#/webhooks/"+id),
		until(`document.querySelector('#delivery-rows tr[data-status="succeeded"]') !== null`))

	recv.failing.Store(true)
	s.call(t, adminToken, "POST", "/api/v1/events", map[string]any{"event_type": "order.paid", "data": map[string]any{"n": 2}})
	b.run("the failure and the unhealthy mark",
		until(`document.querySelector('#delivery-rows tr[data-status="failed"]') !== null`),
		until(text("#webhook-health")+`.includes("unhealthy") && `+text("#webhook-failures")+` !== "0"`),
		until(`document.querySelectorAll("#chart-outcomes rect.bad").length > 0 && document.querySelectorAll("#chart-outcomes rect.ok").length > 0`),
		until(`document.querySelectorAll("#chart-latency circle").length > 0 && `+text("#status")+` === ""`))
	b.shot("webhook-failing", "webhook")
	b.run("the failed attempts", click(`#delivery-rows tr[data-status="failed"] a`),
		until(text("#attempt-rows")+`.includes("500") && `+text("#attempt-rows")+`.includes("receiver is down")`),
		until(text("#payload")+`.includes("order.paid")`))
	b.shot("delivery-failed", "delivery")

	// Recovery and the call log come with endpoints a Herald may lack: the
	// console says so then (404), and works when they are there.
	b.run("recover degrades or recovers",
		chromedp.NavigateBack(), until(`document.querySelector("#recover-since") !== null`),
		fill("#recover-since", time.Now().Add(-time.Hour).Format("2006-01-02T15:04")), click("#recover-form button"),
		until(text("#recover-result")+`.includes("cannot recover") || `+text("#recover-result")+`.startsWith("Recovering")`),
		chromedp.Navigate(s.URL+"/console/#/deliveries"),
		until(text("#log-note")+`.includes("no call log") || document.querySelector('#log-rows tr[data-id]') !== null`))
	recv.failing.Store(true) // the recovery, if any, fails too
	b.run("back to the failed delivery", chromedp.Navigate(s.URL+"/console/#/webhooks/"+id),
		until(`document.querySelector('#delivery-rows tr[data-status="failed"] a') !== null`),
		click(`#delivery-rows tr[data-status="failed"] a`), until(text("#attempt-rows")+`.includes("500")`))

	recv.failing.Store(false)
	b.run("retry it", click("#retry"), until(text("#delivery-status")+` === "succeeded"`))
	if hook := s.call(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id, nil); hook["unhealthy"] != false {
		t.Errorf("after the retry succeeded the webhook is still unhealthy: %v", hook)
	}

	b.run("pause and resume",
		chromedp.Navigate(s.URL+"/console/#/webhooks/"+id), until(text("#pause")+` === "Pause"`),
		click("#pause"), until(text("#webhook-health")+`.includes("paused") && `+text("#pause")+` === "Resume"`),
		click("#pause"), until(`!`+text("#webhook-health")+`.includes("paused") && `+text("#pause")+` === "Pause"`))
	if hook := s.call(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id, nil); hook["paused"] != false {
		t.Errorf("resumed in the console, paused in the API: %v", hook)
	}

	b.run("delete with confirmation: cancel keeps it, confirm deletes it",
		click("#delete"), chromedp.WaitVisible(chromedp.CSS("#confirm-delete")), click("#cancel-delete"),
		chromedp.WaitNotPresent(chromedp.CSS("#confirm-delete")), until(text("h1")+` === "Orders v2"`),
		click("#delete"), click("#confirm-delete-button"),
		until(`location.hash === "#/webhooks" && document.querySelector('#webhook-rows tr[data-id="`+id+`"]') === null && document.querySelector("#webhook-rows td") !== null`))
	if status := s.status(t, adminToken, "GET", "/api/v1/admin/webhooks/"+id); status != 404 {
		t.Errorf("deleted in the console, GET answers %d", status)
	}

	// A tenant-bound application with read scope only, created in the console.
	s.call(t, adminToken, "POST", "/api/v1/admin/webhooks/", map[string]any{"name": "Tenant B hook",
		"url": recv.URL + "/b", "tenant_id": "tnt_b", "validate": false})
	b.run("create an application: its secret shown once",
		chromedp.Navigate(s.URL+"/console/#/applications"), chromedp.WaitVisible(chromedp.CSS("#app-name")),
		fill("#app-name", "tenant b viewer"), click(`#application-form input[value="webhooks:read"]`),
		fill("#app-tenant", "tnt_b"), click("#application-form button[type=submit]"),
		until(text("#new-secret")+` !== "" && `+text("#application-rows")+`.includes("tenant tnt_b")`))
	app := map[string]any{"client_id": b.eval(text("#new-client-id")), "client_secret": b.eval(text("#new-secret"))}
	b.run("sign in as the tenant's application",
		click("#sign-out"), chromedp.WaitVisible(chromedp.CSS("#client-id")),
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
		until(text("#webhook-health")+` !== ""`), chromedp.WaitNotPresent(chromedp.CSS("#send-test")))
	b.shot("tenant-view", "")
}
