package deliver_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/signature"
)

// hijacked answers by writing raw onto the connection and closing it, with
// an RST (SO_LINGER 0) when reset.
func hijacked(raw string, reset bool) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
		if tcp, ok := conn.(*net.TCPConn); ok && reset {
			_ = tcp.SetLinger(0)
		}
		_ = conn.Close()
	}
}

// TestSenderDescribesTransportFailures gives every way a request can break
// its own short text; an oversized body is capped and the status decides.
func TestSenderDescribesTransportFailures(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 1<<20)
	for _, tc := range []struct {
		name       string
		answer     http.HandlerFunc
		url        string // instead of a receiver
		timeout    time.Duration
		wantStatus int
		wantError  string
		wantBody   int
	}{
		{name: "reset before a response", answer: hijacked("", true), wantError: "connection reset"},
		{name: "closed before a response", answer: hijacked("", false), wantError: "connection closed before a response"},
		{name: "broken mid-headers", answer: hijacked("HTTP/1.1 200 OK\r\nContent-Type: a\r\n", false),
			wantError: "connection broken mid-response"},
		{name: "garbled headers then reset", answer: hijacked("HTTP/1.1 200 OK\r\nContent-Ty", true),
			wantError: "connection broken mid-response"},
		{name: "redirect", answer: func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/else", http.StatusFound) },
			wantStatus: http.StatusFound, wantError: `redirect to "/else" not followed`},
		{name: "timeout", answer: func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			timeout: 100 * time.Millisecond, wantError: "timeout after 100ms"},
		{name: "oversized success", answer: func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, big) },
			wantStatus: http.StatusOK, wantBody: 4096},
		{name: "oversized failure", answer: func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, big)
		}, wantStatus: http.StatusInternalServerError, wantError: "HTTP 500", wantBody: 4096},
		{name: "dns", url: "http://herald-no-such-host.invalid/hook", wantError: "dns: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url := tc.url
			if url == "" {
				url = newReceiver(t, tc.answer).URL
			}
			s := outbound.Sender{Client: outbound.NewClient(outbound.ClientConfig{AllowPrivate: true})}
			a := s.Send(context.Background(), outbound.Request{URL: url, Timeout: tc.timeout,
				Message: signature.Message{ID: "evt_1", Body: []byte(`{}`)}})
			if a.StatusCode != tc.wantStatus || !strings.HasPrefix(a.Error, tc.wantError) ||
				(tc.wantError == "" && a.Error != "") || len(a.ResponseBody) != tc.wantBody {
				t.Errorf("attempt status %d, error %q, body %d bytes; want %d, %q, %d",
					a.StatusCode, a.Error, len(a.ResponseBody), tc.wantStatus, tc.wantError, tc.wantBody)
			}
		})
	}
}
