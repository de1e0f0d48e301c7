package probe

import (
	"strings"
)

// headerSecret is a custom header value no read may show.
const headerSecret = "hdr-secret-7d41e0"

// disclosureInputs read a webhook whose custom header carries a credential
// through every answer that shows a webhook: none may show its value.
func disclosureInputs(e *env) []input {
	reads := []struct {
		name   string
		method string
		sub    string
		body   any
	}{
		{"GET", "GET", "", nil},
		{"PATCH answer", "PATCH", "", map[string]any{"description": "read back"}},
		{"pause answer", "POST", "pause", nil},
		{"resume answer", "POST", "resume", nil},
		{"validate answer", "POST", "validate", nil},
		{"rotate-secret answer", "POST", "rotate-secret", nil},
	}
	var out []input
	for _, r := range reads {
		out = append(out, input{"disclosure", "custom header value in the " + r.name, nil, func(e *env) result {
			id := e.mustHook(adminToken, map[string]any{"headers": map[string]string{"Authorization": "Bearer " + headerSecret}})
			return leak(e.do(adminToken, r.method, path(id, r.sub), r.body), headerSecret)
		}})
	}
	out = append(out,
		input{"disclosure", "custom header value in the list", nil, func(e *env) result {
			e.mustHook(adminToken, map[string]any{"headers": map[string]string{"X-Api-Key": headerSecret}})
			return leak(e.do(adminToken, "GET", hooksPath+"?per_page=100", nil), headerSecret)
		}},
		input{"disclosure", "custom header value in the list, to a bound reader", nil, func(e *env) result {
			e.mustHook(e.tA.Token, map[string]any{"headers": map[string]string{"X-Api-Key": headerSecret}})
			return leak(e.do(e.tA.Token, "GET", hooksPath+"?per_page=100", nil), headerSecret)
		}},
	)
	return out
}

// leak reports an answer that shows secret.
func leak(ans answer, secret string) result {
	if strings.Contains(string(ans.body), secret) {
		return result{status: ans.status, breach: "the value is in the answer"}
	}
	return result{status: ans.status}
}
