package probe

import (
	"fmt"
	"strings"
	"time"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
)

// redirectTry points a webhook at the allow-listed receiver's /redirect,
// which answers 302 to the trap, then validates, tests and delivers to it:
// the redirect must never be followed.
func redirectTry(e *env) result {
	before := e.trap.hits.Load()
	ans := e.do(adminToken, "POST", hooksPath, map[string]any{"name": "redirect", "url": e.recv.URL + "/redirect",
		"retry_schedule": []string{"1s"}, "events": []string{"probe.redirect"}})
	var v webhookView
	if ans.status != 201 || ans.decode(&v) != nil {
		return result{status: ans.status, breach: "the allow-listed receiver was refused"}
	}
	e.do(adminToken, "POST", path(v.ID, "test"), nil)
	e.do(adminToken, "POST", "/api/v1/events", map[string]any{"event_type": "probe.redirect"})
	heraldtest.Poll(5*time.Second, func() bool {
		var l struct{ Items []struct{ Attempts []any } }
		return e.do(adminToken, "GET", path(v.ID, "deliveries"), nil).decode(&l) == nil &&
			len(l.Items) > 0 && len(l.Items[0].Attempts) > 0
	})
	return result{status: ans.status, breach: trapBreach(e, before)}
}

// privateBodyTry has a bound application point a webhook at the
// allow-listed receiver's /internal, test it, and read the delivery of an
// event to it: the private target's answer must never reach a bound
// caller.
func privateBodyTry(by *app) func(e *env) result {
	return func(e *env) result {
		ans := e.do(by.Token, "POST", hooksPath, map[string]any{"name": "internal", "url": e.recv.URL + "/internal",
			"validate": false, "events": []string{"probe.internal"}})
		var v webhookView
		if ans.status != 201 || ans.decode(&v) != nil {
			return result{status: ans.status} // refused outright: nothing to read
		}
		var leaks []string
		if t := e.do(by.Token, "POST", path(v.ID, "test"), nil); strings.Contains(string(t.body), internalBody) {
			leaks = append(leaks, "/test")
		}
		e.do(by.Token, "POST", "/api/v1/events", map[string]any{"event_type": "probe.internal"})
		var list answer
		heraldtest.Poll(5*time.Second, func() bool {
			list = e.do(by.Token, "GET", path(v.ID, "deliveries"), nil)
			return strings.Contains(string(list.body), `"attempt"`)
		})
		if strings.Contains(string(list.body), internalBody) {
			leaks = append(leaks, "the deliveries list")
		}
		var l struct{ Items []deliveryView }
		if list.decode(&l) == nil && len(l.Items) > 0 {
			one := e.do(by.Token, "GET", path(v.ID, fmt.Sprintf("deliveries/%d", l.Items[0].ID)), nil)
			if strings.Contains(string(one.body), internalBody) {
				leaks = append(leaks, "the delivery read")
			}
		}
		if len(leaks) > 0 {
			return result{status: 200, breach: "the private answer was shown in " + strings.Join(leaks, ", ")}
		}
		return result{status: 200}
	}
}
