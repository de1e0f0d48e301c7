package probe

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// authInputs are tokens that must not authenticate: each is tried on the
// webhook list and must get 401.
func authInputs(e *env) []input {
	good := claims(e.unboundAll)
	hour := time.Hour
	tokens := []struct{ name, token string }{
		{"no token", ""},
		{"admin token with a byte more", adminToken + "x"},
		{"admin token cut short", adminToken[:len(adminToken)-1]},
		{"forged signature", flipSignature(e.unboundAll.Token)},
		{"signature of another payload", swapPayload(e.unboundAll.Token, e.tA.Token)},
		{"claims changed, signature kept", swapPayload(e.tA.Token, signed(with(claims(e.tA), "tenant_id", "")))},
		{"alg none", jwtWith(map[string]any{"alg": "none", "typ": "JWT"}, good, nil)},
		{"alg none, no signature dot", strings.TrimSuffix(jwtWith(map[string]any{"alg": "none"}, good, nil), ".")},
		{"expired", signed(with(with(good, "exp", time.Now().Add(-hour).Unix()), "iat", time.Now().Add(-2*hour).Unix()))},
		{"not yet valid", signed(with(good, "nbf", time.Now().Add(hour).Unix()))},
		{"no exp", signed(with(good, "exp", nil))},
		{"wrong audience", signed(with(good, "aud", []string{"someone-else"}))},
		{"wrong issuer", signed(with(good, "iss", "https://evil.example"))},
		{"no subject", signed(with(good, "sub", nil))},
		{"unknown application", signed(with(good, "sub", "app_00000000000000000000000000000000"))},
		{"token for another key", jwtWith(hs256(), good, []byte("another-key-0123456789abcdef0123456789"))},
		{"signed with the admin token as key", jwtWith(hs256(), good, []byte(adminToken))},
		{"jku header to a foreign JWKS", jwtWith(map[string]any{"alg": "HS256", "jku": "http://127.0.0.1:1/jwks"}, good, []byte("x"))},
		{"deleted application's token", deletedAppToken(e)},
	}
	var out []input
	for _, tk := range tokens {
		out = append(out, input{"auth", "bearer: " + tk.name, unauthorized,
			statusOf(func(e *env) answer { return e.do(tk.token, "GET", hooksPath, nil) })})
	}
	headers := []struct{ name, value string }{
		{"Bearer without token", "Bearer"},
		{"Bearer and spaces", "Bearer    "},
		{"Basic with the admin token", "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+adminToken))},
		{"Token scheme", "Token " + adminToken},
		{"token without scheme", adminToken},
		{"Bearer with two tokens", "Bearer junk " + adminToken},
	}
	for _, h := range headers {
		out = append(out, input{"auth", "header: " + h.name, unauthorized, statusOf(func(e *env) answer {
			return e.doHeaders("GET", hooksPath, nil, http.Header{"Authorization": {h.value}})
		})})
	}
	return append(out, input{"auth", "0s rotation: tokens minted around it", nil, rotationRace})
}

// flipSignature changes a character of a token's signature.
func flipSignature(tok string) string {
	// The signature's first character: all six of its bits are signature
	// bits (the last character's low bits are unused, so changing only
	// those would spell the same signature; Herald refuses that too).
	i := strings.LastIndexByte(tok, '.') + 1
	repl := byte('A')
	if tok[i] == 'A' {
		repl = 'B'
	}
	return tok[:i] + string(repl) + tok[i+1:]
}

// swapPayload returns tok's header and signature around other's payload.
func swapPayload(tok, other string) string {
	a, b := strings.Split(tok, "."), strings.Split(other, ".")
	return a[0] + "." + b[1] + "." + a[2]
}

// deletedAppToken returns a token of an application deleted since.
func deletedAppToken(e *env) string {
	victim := e.createApp(e.t, "", "", read)
	if ans := e.do(adminToken, "DELETE", "/api/v1/admin/applications/"+victim.ID, nil); ans.status != 204 {
		e.t.Fatalf("delete application: %d %s", ans.status, ans.body)
	}
	return victim.Token
}
