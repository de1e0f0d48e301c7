package admin

import (
	"errors"
	"net/http"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// reservedHeaders are set by Herald or by HTTP itself; a webhook's custom
// headers may not override them.
var reservedHeaders = map[string]bool{
	"Content-Type": true, "Content-Length": true, "Host": true, "User-Agent": true,
	"Connection": true, "Keep-Alive": true, "Transfer-Encoding": true, "Te": true,
	"Trailer": true, "Upgrade": true, "Proxy-Authorization": true, "Proxy-Connection": true,
}

// checkHeader reports why a custom header is not allowed: an invalid name or
// value, or a name Herald sets itself (Standard Webhooks' webhook-*, the
// deployment's prefixed headers, HTTP's own).
func checkHeader(name, value, prefix string) error {
	if !httpguts.ValidHeaderFieldName(name) {
		return errors.New("not a valid HTTP header name")
	}
	if !httpguts.ValidHeaderFieldValue(value) {
		return errors.New("header value has characters not allowed in HTTP")
	}
	canon := http.CanonicalHeaderKey(name)
	if reservedHeaders[canon] || strings.HasPrefix(canon, "Webhook-") ||
		strings.HasPrefix(canon, http.CanonicalHeaderKey(prefix)) {
		return errors.New("reserved header: set by Herald")
	}
	return nil
}
