package probe

import (
	"fmt"
	"net"
	"os"
	"strings"
)

// ssrfInputs are webhook URLs at addresses Herald must never reach, in
// every spelling, and endpoints that answer with a redirect to one. An input
// got through when creating it answers 2xx, or when a request reached the
// trap listener (127.0.0.1 and ::1) while creating, validating, testing or
// delivering to it.
func ssrfInputs(e *env) []input {
	p := e.trap.port
	literals := []string{
		"127.0.0.1:" + p, "2130706433:" + p, "0x7f000001:" + p, "0x7f.0.0.1:" + p, "0177.0.0.1:" + p,
		"127.1:" + p, "017700000001:" + p, "127.000.000.001:" + p,
		"169.254.169.254", "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.169.254.",
		"[::1]:" + p, "[0:0:0:0:0:0:0:1]:" + p, "[::ffff:127.0.0.1]:" + p, "[::ffff:7f00:1]:" + p,
		"[64:ff9b::7f00:1]:" + p, "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::]:" + p, "[2002:a9fe:a9fe::]",
		"[fe80::1]:" + p, "[fd00::1]:" + p, "[::]:" + p, "0.0.0.0:" + p, "0:" + p,
		"10.0.0.1", "192.168.0.1", "100.64.0.1", "localhost:" + p, "LOCALHOST.:" + p, "probe.localhost:" + p,
	}
	var out []input
	for _, host := range literals {
		out = append(out, input{"ssrf", "create at http://" + host, invalid, ssrfTry("http://" + host + "/")})
	}
	for _, name := range loopbackNames() {
		out = append(out, input{"ssrf", "name resolving to loopback: " + name, nil,
			ssrfTry("http://" + name + ":" + p + "/")})
	}
	out = append(out,
		input{"ssrf", "patch to http://127.0.0.1", invalid, func(e *env) result {
			id := e.mustHook(adminToken, nil)
			before := e.trap.hits.Load()
			ans := e.do(adminToken, "PATCH", hooksPath+id, map[string]any{"url": "http://127.0.0.1:" + p + "/"})
			e.do(adminToken, "POST", path(id, "test"), nil)
			return result{status: ans.status, breach: trapBreach(e, before)}
		}},
		input{"ssrf", "allow-listed receiver redirecting to 127.0.0.1", nil, redirectTry},
		input{"ssrf", "tnt_a /test reads an allow-listed private answer", nil, privateBodyTry(e.tA)},
		input{"ssrf", "ptn_x /test reads an allow-listed private answer", nil, privateBodyTry(e.pX)},
	)
	return out
}

// ssrfTry creates a webhook at url as the admin, validating it, and when
// that is accepted tests it: it got through when the trap was reached or the
// create or test answered 2xx with the target's answer.
func ssrfTry(url string) func(e *env) result {
	return func(e *env) result {
		before := e.trap.hits.Load()
		ans := e.do(adminToken, "POST", hooksPath, map[string]any{"name": "ssrf", "url": url})
		res := result{status: ans.status}
		var v webhookView
		if ans.status == 201 && ans.decode(&v) == nil {
			var test struct {
				StatusCode *int `json:"status_code"`
			}
			if t := e.do(adminToken, "POST", path(v.ID, "test"), nil); t.decode(&test) == nil && test.StatusCode != nil {
				res.breach = fmt.Sprintf("/test answered the target's status %d", *test.StatusCode)
			}
		}
		if b := trapBreach(e, before); b != "" {
			res.breach = b
		}
		return res
	}
}

// trapBreach says how many requests reached the trap since before.
func trapBreach(e *env, before int64) string {
	if n := e.trap.hits.Load() - before; n > 0 {
		return fmt.Sprintf("%d connections reached the blocked listener", n)
	}
	return ""
}

// loopbackNames are host names of /etc/hosts (and the machine's name) that
// resolve to a loopback address, localhost and its subdomains aside.
func loopbackNames() []string {
	raw, _ := os.ReadFile("/etc/hosts")
	seen := map[string]bool{}
	var out []string
	host, _ := os.Hostname()
	fields := append(strings.Fields(string(raw)), host)
	for _, f := range fields {
		f = strings.ToLower(f)
		if seen[f] || f == "" || strings.HasPrefix(f, "#") || net.ParseIP(f) != nil ||
			f == "localhost" || strings.HasSuffix(f, ".localhost") {
			continue
		}
		seen[f] = true
		if addrs, err := net.LookupIP(f); err == nil && len(addrs) > 0 && addrs[0].IsLoopback() {
			out = append(out, f)
		}
	}
	return out
}
