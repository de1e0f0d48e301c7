package outbound

import (
	"net/http"
	"strings"
)

// setExact sets header name to v with name's case as written: Header.Set
// would canonicalise it ("X-ScaiDrive-Event" to "X-Scaidrive-Event").
// Receivers read names case-insensitively, but some of them, and their
// logs, show the case. Any other casing of name already set is removed, so
// the name goes out once.
func setExact(h http.Header, name, v string) {
	for k := range h {
		if k != name && strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
	h[name] = []string{v}
}

// prefixAsWritten renames the headers whose names begin with prefix in
// another case (the signer's canonical "X-Scaidrive-") so they begin with
// prefix as the deployment wrote it ("X-ScaiDrive-").
func prefixAsWritten(h http.Header, prefix string) {
	for k, v := range h {
		if len(k) > len(prefix) && k[:len(prefix)] != prefix && strings.EqualFold(k[:len(prefix)], prefix) {
			delete(h, k)
			h[prefix+k[len(prefix):]] = v
		}
	}
}
