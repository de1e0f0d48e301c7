package probe

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// claims returns the claims of a token Herald would issue to a now, valid
// for an hour; probes change one of them.
func claims(a *app) map[string]any {
	now := time.Now()
	return map[string]any{"iss": "herald", "aud": []string{"herald-admin"}, "sub": a.ID,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": "probe",
		"scope": strings.Join(a.Scopes, " "), "tenant_id": a.TenantID, "partner_id": a.PartnerID}
}

// jwtWith returns a compact JWT of header and claims, HS256-signed with key
// (no signature when key is nil).
func jwtWith(header, claims map[string]any, key []byte) string {
	seg := func(v any) string {
		raw, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(raw)
	}
	signing := seg(header) + "." + seg(claims)
	if key == nil {
		return signing + "."
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// hs256 is the header of an HS256 token.
func hs256() map[string]any { return map[string]any{"alg": "HS256", "typ": "JWT"} }

// signed returns a token of claims c signed with the system's key.
func signed(c map[string]any) string { return jwtWith(hs256(), c, []byte(signingKey)) }

// with returns a copy of claims c with k set to v (removed when v is nil).
func with(c map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for key, val := range c {
		out[key] = val
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}
