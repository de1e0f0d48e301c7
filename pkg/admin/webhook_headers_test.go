package admin

import "testing"

func TestCheckHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value, prefix string
		ok                  bool
	}{
		{"Authorization", "Bearer abc", "X-Herald-", true},
		{"X-Api-Key", "k", "X-Herald-", true},
		{"x-tenant", "", "X-Herald-", true},
		{"X-Heraldic", "v", "X-Herald-", true},
		{"Webhook", "v", "X-Herald-", true},
		{"Proxy", "v", "X-Herald-", true},
		{"X-Value", "caf\xc3\xa9 \t tab", "X-Herald-", true}, // obs-text and tabs are allowed
		// Invalid names and values.
		{"", "v", "X-Herald-", false},
		{"Bad Name", "v", "X-Herald-", false},
		{"Bad:Name", "v", "X-Herald-", false},
		{"Bad\nName", "v", "X-Herald-", false},
		{"X-Ok", "line\r\nInjected: 1", "X-Herald-", false},
		{"X-Ok", "nul\x00", "X-Herald-", false},
		// Set by Herald, in any case, and with '_' for '-'.
		{"webhook-id", "v", "X-Herald-", false},
		{"Webhook-Signature", "v", "X-Herald-", false},
		{"WEBHOOK-TIMESTAMP", "v", "X-Herald-", false},
		{"webhook_id", "v", "X-Herald-", false},
		{"Webhook-Anything", "v", "X-Herald-", false},
		{"X-Herald-Event", "v", "X-Herald-", false},
		{"x-herald-signature", "v", "X-Herald-", false},
		{"X_Herald_Delivery_Id", "v", "X-Herald-", false},
		{"X-ScaiDrive-Event", "v", "X-ScaiDrive-", false},
		{"X-Herald-Event", "v", "X-ScaiDrive-", true}, // another deployment's prefix is free
		{"Content-Type", "text/plain", "X-Herald-", false},
		{"content-length", "1", "X-Herald-", false},
		{"Content-Encoding", "gzip", "X-Herald-", false},
		{"Host", "evil.example", "X-Herald-", false},
		{"User-Agent", "x", "X-Herald-", false},
		// Hop-by-hop and framing.
		{"Connection", "close", "X-Herald-", false},
		{"Keep-Alive", "timeout=5", "X-Herald-", false},
		{"Proxy-Authorization", "Basic x", "X-Herald-", false},
		{"Proxy-Connection", "keep-alive", "X-Herald-", false},
		{"Proxy-Authenticate", "x", "X-Herald-", false},
		{"proxy_anything", "x", "X-Herald-", false},
		{"TE", "trailers", "X-Herald-", false},
		{"Trailer", "X-A", "X-Herald-", false},
		{"Transfer-Encoding", "chunked", "X-Herald-", false},
		{"transfer_encoding", "chunked", "X-Herald-", false},
		{"Upgrade", "websocket", "X-Herald-", false},
		{"Expect", "100-continue", "X-Herald-", false},
		{"HTTP2-Settings", "AAA", "X-Herald-", false},
	} {
		if err := checkHeader(tc.name, tc.value, tc.prefix); (err == nil) != tc.ok {
			t.Errorf("checkHeader(%q, %q, %q) = %v, want ok=%v", tc.name, tc.value, tc.prefix, err, tc.ok)
		}
	}
}
