package contract

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Received is one request a Receiver got.
type Received struct {
	Header   http.Header
	Body     []byte
	At       time.Time
	Verified bool // the official Standard Webhooks library accepted it
	HexOK    bool // the <prefix>Signature header matched, checked with crypto/hmac
}

// Receiver is a real HTTP endpoint that verifies every request with the
// official Standard Webhooks library and the hex header, and answers the
// scripted statuses in turn (the last one repeats; none means 200).
type Receiver struct {
	*httptest.Server
	t      testing.TB
	prefix string

	mu       sync.Mutex
	secret   string
	statuses []int
	got      []Received
	notify   chan struct{}
}

// NewReceiver starts a receiver; it is closed when the test ends.
func NewReceiver(t testing.TB, prefix string, statuses ...int) *Receiver {
	r := &Receiver{t: t, prefix: prefix, statuses: statuses, notify: make(chan struct{}, 1)}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

// SetSecret sets the signing secret requests are verified with.
func (r *Receiver) SetSecret(secret string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret = secret
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	rec := Received{Header: req.Header.Clone(), Body: body, At: time.Now()}
	r.mu.Lock()
	if wh, err := standardwebhooks.NewWebhook(r.secret); err == nil {
		rec.Verified = wh.Verify(body, req.Header) == nil
	}
	rec.HexOK = hexOK(r.secret, body, req.Header.Get(r.prefix+"Signature"))
	status := http.StatusOK
	if n := len(r.got); len(r.statuses) > 0 {
		status = r.statuses[min(n, len(r.statuses)-1)]
	}
	r.got = append(r.got, rec)
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"received":true}`)
}

// hexOK checks the hex signature header the way a receiver would, with the
// standard library only (independently of Herald's signature package).
func hexOK(secret string, body []byte, header string) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || secret == "" {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return hmac.Equal([]byte(header), []byte("sha256="+hex.EncodeToString(mac.Sum(nil))))
}

// Got returns what the receiver got so far.
func (r *Receiver) Got() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.got...)
}

// WaitFor waits until the receiver has got n requests and returns them.
func (r *Receiver) WaitFor(n int, timeout time.Duration) []Received {
	r.t.Helper()
	deadline := time.After(timeout)
	for {
		if got := r.Got(); len(got) >= n {
			return got
		}
		select {
		case <-r.notify:
		case <-deadline:
			r.t.Fatalf("receiver got %d requests within %s, want %d", len(r.Got()), timeout, n)
		}
	}
}
