package probe

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// limitsInputs are paging beyond its bounds, bodies beyond their size,
// nesting beyond reason, too many headers, and a flood of token requests.
func limitsInputs(e *env) []input {
	lists := []string{hooksPath, path(e.hookA, "deliveries"), appsPath}
	bad := []string{"page=9223372036854775807", "page=10001", "page=-1", "page=0", "page=abc", "page=1e3",
		"page=99999999999999999999", "per_page=0", "per_page=101", "per_page=-1", "per_page=9223372036854775807",
		"per_page=abc", "page=9223372036854775807&per_page=100"}
	var out []input
	for _, l := range lists {
		for _, q := range bad {
			out = append(out, input{"limits", "GET " + l + "?" + q, invalid,
				statusOf(func(e *env) answer { return e.do(adminToken, "GET", l+"?"+q, nil) })})
		}
		out = append(out, input{"limits", "GET " + l + "?page=10000 (the last page allowed)", listOK,
			statusOf(func(e *env) answer { return e.do(adminToken, "GET", l+"?page=10000&per_page=100", nil) })})
	}
	big := `{"event_type":"probe.big","data":"` + strings.Repeat("a", 300<<10) + `"}`
	nested := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	manyHeaders := map[string]string{}
	for i := range 21 {
		manyHeaders[fmt.Sprintf("X-H%d", i)] = "v"
	}
	for _, c := range []struct {
		name, path string
		body       any
		want       []int
	}{
		{"event over 256 KiB", "/api/v1/events", big, tooLarge},
		{"webhook body over 1 MiB", hooksPath, `{"name":"x","description":"` + strings.Repeat("a", 2<<20) + `"}`, tooLarge},
		{"application body over 1 MiB", appsPath, `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, tooLarge},
		{"event nested 200000 deep", "/api/v1/events", `{"event_type":"probe.deep","data":` + nested + `}`, invalid},
		{"webhook filter value nested 200000 deep", hooksPath, `{"name":"x","url":"` + e.recv.URL + `/hook/d","validate":false,"filters":[{"field":"a","op":"eq","value":` + nested + `}]}`, invalid},
		{"webhook with 21 custom headers", hooksPath, map[string]any{"name": "x", "url": e.recv.URL + "/hook/h", "validate": false, "headers": manyHeaders}, invalid},
	} {
		out = append(out, input{"limits", c.name, c.want,
			statusOf(func(e *env) answer { return e.do(adminToken, "POST", c.path, c.body) })})
	}
	out = append(out, input{"limits", "request with 1 MiB of headers", []int{431}, statusOf(func(e *env) answer {
		h := bearerHeader(adminToken)
		for i := range 600 {
			h.Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("p", 2000))
		}
		return e.doHeaders("GET", hooksPath, nil, h)
	})})
	return append(out, input{"limits", "12 wrong secrets for one client_id on /oauth/token", nil, tokenFlood})
}

// tokenFlood sends wrong secrets for one client id, four at a time, until
// the first 429: the endpoint must start answering 429 (without hashing each
// guess) within 12 guesses.
func tokenFlood(e *env) result {
	victim := e.createApp(e.t, "", "", read)
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	start := time.Now()
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 3 {
				form := url.Values{"grant_type": {"client_credentials"}, "client_id": {victim.ID},
					"client_secret": {fmt.Sprintf("hcs_wrong_%d_%d", w, i)}}
				a := e.form("/oauth/token", form)
				mu.Lock()
				counts[a.status]++
				throttled := counts[http.StatusTooManyRequests] > 0
				mu.Unlock()
				if throttled {
					return
				}
			}
		}()
	}
	wg.Wait()
	if counts[http.StatusTooManyRequests] == 0 {
		return result{status: 401, breach: fmt.Sprintf("no 429 in 12 guesses (%v in %s)", counts, time.Since(start).Round(time.Millisecond))}
	}
	return result{status: http.StatusTooManyRequests}
}
