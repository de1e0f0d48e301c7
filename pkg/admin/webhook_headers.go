package admin

import (
	"errors"
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// reservedHeaders are set by Herald or by HTTP itself, or change how the
// request is framed or routed; a webhook's custom headers may not override
// them. Keys are canonical, with '_' read as '-'.
var reservedHeaders = map[string]bool{
	// Set by Herald for every delivery.
	"Content-Type": true, "Content-Length": true, "Content-Encoding": true,
	"Host": true, "User-Agent": true,
	// Hop-by-hop (RFC 9110 §7.6.1) and framing.
	"Connection": true, "Keep-Alive": true, "Te": true, "Trailer": true,
	"Transfer-Encoding": true, "Upgrade": true, "Expect": true, "Http2-Settings": true,
}

// reservedPrefixes are reserved header name prefixes (canonical, '_' read
// as '-'), besides the deployment's own: Standard Webhooks' webhook-id,
// -timestamp and -signature, and the hop-by-hop Proxy-* family.
var reservedPrefixes = []string{"Webhook-", "Proxy-"}

// checkHeader reports why a custom header is not allowed: an invalid name or
// value, or a reserved name — one Herald sets itself (Standard Webhooks'
// webhook-*, the deployment's prefixed headers, Content-Type…) or one that
// belongs to the connection (hop-by-hop headers). Names are compared
// case-insensitively and with '_' read as '-', since many servers (CGI,
// WSGI, PHP) merge the two and would let webhook_id shadow webhook-id.
func checkHeader(name, value, prefix string) error {
	if !httpguts.ValidHeaderFieldName(name) {
		return errors.New("not a valid HTTP header name")
	}
	if !httpguts.ValidHeaderFieldValue(value) {
		return errors.New("header value has characters not allowed in HTTP")
	}
	if reservedHeader(name, prefix) {
		return errors.New("reserved header: set by Herald or by HTTP itself")
	}
	return nil
}

// reservedHeader reports whether a valid header name is reserved.
func reservedHeader(name, prefix string) bool {
	norm := func(s string) string { return http.CanonicalHeaderKey(strings.ReplaceAll(s, "_", "-")) }
	canon := norm(name)
	if reservedHeaders[canon] {
		return true
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(canon, p) {
			return true
		}
	}
	return prefix != "" && strings.HasPrefix(canon, norm(prefix))
}
