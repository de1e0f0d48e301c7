package admin

import (
	"bufio"
	"bytes"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"golang.org/x/net/http/httpguts"
)

// FuzzCheckHeader: checkHeader never panics and accepts exactly the valid
// names and values whose name is not reserved (by an independent,
// lower-case reading of the rules); an accepted header survives the wire
// as itself and cannot change Herald's own headers.
func FuzzCheckHeader(f *testing.F) {
	for _, s := range [][3]string{
		{"X-Api-Key", "secret", "X-Herald-"},
		{"webhook_id", "evil", "X-Herald-"},
		{"X-HERALD-EVENT", "x", "X-Herald-"},
		{"proxy-authorization", "Basic x", "X-ScaiDrive-"},
		{"X-A", "a\r\nWebhook-Id: forged", "X-Herald-"},
		{"Transfer-Encoding", "chunked", ""},
		{"X-Obs", "caf\xc3\xa9\t", "X-Herald-"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	reserved := map[string]bool{"content-type": true, "content-length": true, "content-encoding": true,
		"host": true, "user-agent": true, "connection": true, "keep-alive": true, "te": true,
		"trailer": true, "transfer-encoding": true, "upgrade": true, "expect": true, "http2-settings": true}
	f.Fuzz(func(t *testing.T, name, value, prefix string) {
		err := checkHeader(name, value, prefix)
		lower := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
		lowPrefix := strings.ToLower(strings.ReplaceAll(prefix, "_", "-"))
		isReserved := reserved[lower] || strings.HasPrefix(lower, "webhook-") || strings.HasPrefix(lower, "proxy-") ||
			prefix != "" && strings.HasPrefix(lower, lowPrefix)
		want := httpguts.ValidHeaderFieldName(name) && httpguts.ValidHeaderFieldValue(value) && !isReserved
		if (err == nil) != want {
			t.Fatalf("checkHeader(%q, %q, %q) = %v, want ok=%v", name, value, prefix, err, want)
		}
		if err != nil {
			return
		}
		req, _ := http.NewRequest(http.MethodPost, "http://receiver.example/hook", strings.NewReader("{}"))
		req.Header.Set(name, value) // custom headers first, as the sender sets them
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Webhook-Id", "msg_1")
		var wire bytes.Buffer
		if err := req.Write(&wire); err != nil {
			t.Fatalf("writing a request with %q: %q: %v", name, value, err)
		}
		got, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			t.Fatalf("reading back a request with %q: %q: %v", name, value, err)
		}
		if got.Header.Get("Webhook-Id") != "msg_1" || got.Header.Get("Content-Type") != "application/json" ||
			len(got.Header.Values("Webhook-Id")) != 1 {
			t.Fatalf("header %q: %q changed Herald's headers: %v", name, value, got.Header)
		}
		if v := got.Header.Values(name); len(v) != 1 || v[0] != textproto.TrimString(value) {
			t.Fatalf("header %q: %q read back as %q", name, value, v)
		}
	})
}
