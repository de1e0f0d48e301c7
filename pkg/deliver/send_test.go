package deliver_test

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/outbound"
)

func TestHandleRecordsTransportOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// target returns the webhook URL and a count of requests that
		// reached the server (nil when none can).
		target     func(t *testing.T) (string, func() int64)
		client     outbound.ClientConfig
		wantStatus int
		wantError  string
		wantHits   int64 // requests that reached the handler
	}{
		{
			name: "redirect not followed",
			target: func(t *testing.T) (string, func() int64) {
				r := newReceiver(t, func(w http.ResponseWriter, req *http.Request) {
					if req.URL.Path == "/moved" {
						t.Error("the redirect was followed")
					}
					http.Redirect(w, req, "/moved", http.StatusFound)
				})
				return r.URL + "/hook", r.hits.Load
			},
			wantStatus: http.StatusFound,
			wantError:  `redirect to "/moved" not followed`,
			wantHits:   1,
		},
		{
			name: "slower than the client timeout",
			target: func(t *testing.T) (string, func() int64) {
				stop := make(chan struct{})
				r := newReceiver(t, func(_ http.ResponseWriter, req *http.Request) {
					select {
					case <-req.Context().Done(): // the client gave up
					case <-stop:
					}
				})
				t.Cleanup(func() { close(stop) }) // runs before r.Close
				return r.URL, r.hits.Load
			},
			client:    outbound.ClientConfig{Timeout: 100 * time.Millisecond, AllowPrivate: true},
			wantError: "timeout",
			wantHits:  1,
		},
		{
			name: "connection refused",
			target: func(t *testing.T) (string, func() int64) {
				l, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				addr := l.Addr().String()
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
				return "http://" + addr, nil
			},
			wantError: "connection refused",
		},
		{
			name: "untrusted TLS certificate",
			target: func(t *testing.T) (string, func() int64) {
				var hits atomic.Int64
				srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
				srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is expected
				srv.StartTLS()
				t.Cleanup(srv.Close)
				return srv.URL, hits.Load
			},
			wantError: "tls: certificate not trusted",
		},
		{
			name: "private target refused",
			target: func(t *testing.T) (string, func() int64) {
				r := newReceiver(t, nil)
				return r.URL, r.hits.Load
			},
			client:    outbound.ClientConfig{Timeout: time.Minute}, // AllowPrivate false
			wantError: "refused: target resolves to a loopback address",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client := tt.client
			if client.Timeout == 0 {
				client = outbound.ClientConfig{Timeout: time.Minute, AllowPrivate: true}
			}
			f := newFixture(t, deliver.Config{Client: outbound.NewClient(client)})
			url, hits := tt.target(t)
			f.seed(t, newWebhook(url), newDelivery())

			started := time.Now()
			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			// Each outcome ends the attempt (an answer, a refusal, a
			// transport error or the case's own short timeout), never the
			// minute the client allows otherwise.
			if took := time.Since(started); took > 30*time.Second {
				t.Errorf("Handle took %s", took)
			}
			d := f.delivery(t, testDeliveryID)
			if len(d.Attempts) != 1 {
				t.Fatalf("attempts = %+v, want 1", d.Attempts)
			}
			if a := d.Attempts[0]; a.StatusCode != tt.wantStatus || a.Error != tt.wantError {
				t.Errorf("attempt status %d, error %q; want %d, %q", a.StatusCode, a.Error, tt.wantStatus, tt.wantError)
			}
			if a := d.Attempts[0]; a.URL != url {
				t.Errorf("attempt recorded as sent to %q, want %q", a.URL, url)
			}
			if d.Status != herald.StatusPending || d.NextAttemptMS != herald.Millis(t0.Add(30*time.Second)) {
				t.Errorf("delivery status %q, next %v; want pending with a retry in 30s",
					d.Status, herald.FromMillis(d.NextAttemptMS))
			}
			if hits != nil && hits() != tt.wantHits {
				t.Errorf("requests reaching the receiver = %d, want %d", hits(), tt.wantHits)
			}
		})
	}
}

func TestHandleKeepsFirst4KiBOfResponseBody(t *testing.T) {
	t.Parallel()
	f := newFixture(t, deliver.Config{})
	long := strings.Repeat("0123456789abcdef", 1024) // 16 KiB
	r := newReceiver(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, long) })
	f.seed(t, newWebhook(r.URL), newDelivery())

	if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	d := f.delivery(t, testDeliveryID)
	if d.Status != herald.StatusSucceeded || len(d.Attempts) != 1 {
		t.Fatalf("delivery status %q, attempts %d", d.Status, len(d.Attempts))
	}
	if got := d.Attempts[0].ResponseBody; got != long[:4096] {
		t.Errorf("kept %d bytes of the response body, want its first 4096", len(got))
	}
}
