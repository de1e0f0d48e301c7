package probe

import (
	"fmt"
	"strings"
)

// injectionInputs are custom headers that would split or forge a request,
// and events whose bytes mean one thing to one reader and another to the
// next: invalid UTF-8, reserved keys twice, NUL in ids, overlong fields,
// trailing garbage. Each must be 422.
func injectionInputs(e *env) []input {
	out := headerInputs()
	out = append(out, eventInputs(e)...)
	return append(out, bodyInputs(e)...)
}

// headerInputs are custom headers that are not valid HTTP or override
// Herald's own.
func headerInputs() []input {
	var out []input
	for _, h := range []struct{ name, value string }{
		{"X-A\r\nX-Injected", "v"}, {"X-A", "v\r\nX-Injected: 1"}, {"X-A", "v\nX-Injected: 1"}, {"X-A", "v\rx"},
		{"X-A", "v\x00"}, {"X-A\x00", "v"}, {"X A", "v"}, {"", "v"}, {"X-A:", "v"},
		{"webhook-signature", "v1,forged"}, {"Webhook-Id", "evt_forged"}, {"WEBHOOK-TIMESTAMP", "0"},
		{"webhook_signature", "v1,forged"}, {"X-Herald-Signature", "sha256=forged"}, {"x-herald-event", "forged"},
		{"X_Herald_Delivery_Id", "1"}, {"Content-Type", "text/plain"}, {"Host", "evil.example"},
		{"Transfer-Encoding", "chunked"}, {"Content-Length", "0"}, {"Connection", "close"},
		{"Proxy-Authorization", "Basic x"}, {"User-Agent", "forged"},
	} {
		out = append(out, input{"injection", fmt.Sprintf("custom header %q: %q", h.name, h.value), invalid,
			statusOf(func(e *env) answer {
				ans, _, _ := e.hook(adminToken, map[string]any{"headers": map[string]string{h.name: h.value}})
				return ans
			})})
	}
	return out
}

// eventInputs publish each of eventInjections.
func eventInputs(e *env) []input {
	var out []input
	for _, ev := range eventInjections() {
		by := map[bool]*app{false: e.unboundAll, true: e.tA}[ev.bound]
		want := invalid
		if ev.bound {
			// A bound publisher's event naming another tenant is refused
			// for its binding (403) before or after the duplicate (422).
			want = []int{403, 422}
		}
		out = append(out, input{"injection", "event: " + ev.name + " by " + by.name(), want,
			statusOf(func(e *env) answer { return e.do(by.Token, "POST", "/api/v1/events", []byte(ev.body)) })})
	}
	return out
}

// bodyInputs are webhook and application bodies with trailing garbage, NUL
// in ids and overlong fields.
func bodyInputs(e *env) []input {
	var out []input
	long := strings.Repeat("a", 300)
	for _, c := range []struct {
		name, path string
		body       string
	}{
		{"webhook with trailing garbage", hooksPath, `{"name":"x","url":"` + e.recv.URL + `/hook/g","validate":false} x`},
		{"webhook, two objects", hooksPath, `{"name":"x","url":"` + e.recv.URL + `/hook/g","validate":false}{"tenant_id":"tnt_b"}`},
		{"webhook with NUL in tenant_id", hooksPath, `{"name":"x","url":"` + e.recv.URL + `/hook/g","validate":false,"tenant_id":"tnt_a\u0000"}`},
		{"webhook with an overlong tenant_id", hooksPath, `{"name":"x","url":"` + e.recv.URL + `/hook/g","validate":false,"tenant_id":"` + long + `"}`},
		{"webhook with an overlong name", hooksPath, `{"name":"` + long + `","url":"` + e.recv.URL + `/hook/g","validate":false}`},
		{"webhook with an overlong header value", hooksPath, `{"name":"x","url":"` + e.recv.URL + `/hook/g","validate":false,"headers":{"X-A":"` + strings.Repeat("v", 3000) + `"}}`},
		{"webhook with an overlong url", hooksPath, `{"name":"x","url":"` + e.recv.URL + "/hook/" + strings.Repeat("g", 3000) + `","validate":false}`},
		{"application with trailing garbage", appsPath, `{"name":"x","scopes":["webhooks:read"]} x`},
		{"application with NUL in tenant_id", appsPath, `{"name":"x","scopes":["webhooks:read"],"tenant_id":"tnt_a\u0000"}`},
	} {
		out = append(out, input{"injection", c.name, invalid,
			statusOf(func(e *env) answer { return e.do(adminToken, "POST", c.path, []byte(c.body)) })})
	}
	return out
}

// eventInjection is one hostile event body; bound: published by tnt_a's
// application, else by an unbound one.
type eventInjection struct {
	name, body string
	bound      bool
}

func eventInjections() []eventInjection {
	return []eventInjection{
		{"invalid UTF-8 in data", "{\"event_type\":\"probe.x\",\"data\":{\"s\":\"\xff\xfe\"}}", false},
		{"invalid UTF-8 in a key", "{\"event_type\":\"probe.x\",\"\xff\":1}", false},
		{"overlong UTF-8 encoding", "{\"event_type\":\"probe.x\",\"path\":\"\xc0\xaf\"}", false},
		{"invalid UTF-8 in tenant_id", "{\"event_type\":\"probe.x\",\"tenant_id\":\"tnt_\xff\"}", false},
		{"two event_type", `{"event_type":"probe.x","event_type":"probe.y"}`, false},
		{"event_type and EVENT_TYPE", `{"event_type":"probe.x","EVENT_TYPE":"probe.y"}`, false},
		{"two event_id", `{"event_type":"probe.x","event_id":"evt_1","event_id":"evt_2"}`, false},
		{"event_id and Event_Id", `{"event_type":"probe.x","event_id":"evt_1","Event_Id":"evt_2"}`, false},
		{"tenant_id and TENANT_ID", `{"event_type":"probe.x","tenant_id":"tnt_a","TENANT_ID":"tnt_b"}`, false},
		{"tenant_id and TENANT_ID", `{"event_type":"probe.x","tenant_id":"tnt_a","TENANT_ID":"tnt_b"}`, true},
		{"TENANT_ID only", `{"event_type":"probe.x","TENANT_ID":"tnt_b"}`, true},
		{"two tenant_id", `{"event_type":"probe.x","tenant_id":"tnt_a","tenant_id":"tnt_b"}`, true},
		{"partner_id and Partner_ID", `{"event_type":"probe.x","partner_id":"ptn_x","Partner_ID":"ptn_y"}`, false},
		{"two timestamp", `{"event_type":"probe.x","timestamp":"2026-01-01T00:00:00Z","timestamp":"2026-01-02T00:00:00Z"}`, false},
		{"NUL in event_id", `{"event_type":"probe.x","event_id":"evt_\u0000x"}`, false},
		{"NUL in tenant_id", `{"event_type":"probe.x","tenant_id":"tnt_a\u0000"}`, false},
		{"NUL in partner_id", `{"event_type":"probe.x","partner_id":"\u0000ptn_x"}`, false},
		{"NUL in event_type", `{"event_type":"probe.x\u0000"}`, false},
		{"overlong event_id", `{"event_type":"probe.x","event_id":"evt_` + strings.Repeat("a", 300) + `"}`, false},
		{"overlong tenant_id", `{"event_type":"probe.x","tenant_id":"` + strings.Repeat("t", 300) + `"}`, false},
		{"overlong event_type", `{"event_type":"probe.` + strings.Repeat("x", 300) + `"}`, false},
		{"trailing garbage", `{"event_type":"probe.x"} x`, false},
		{"two objects", `{"event_type":"probe.x"}{"event_type":"probe.y"}`, false},
		{"reserved event type", `{"event_type":"webhook.delivery.dropped"}`, false},
		{"not an object", `["probe.x"]`, false},
	}
}
