package probe

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// internalBody is what the receiver answers on /internal: a private
// service's answer that no tenant-bound caller may read.
const internalBody = "INTERNAL-ONLY-3b9f2c"

// receipt is one request a receiver got.
type receipt struct {
	key    string // the path after /hook/: which webhook it was sent to
	header http.Header
	body   []byte
}

// receiver is a real HTTP endpoint on receiverHost. It records what it gets
// on /hook/<key>, answers /internal with internalBody and /redirect with a
// 302 to redirectTo.
type receiver struct {
	*httptest.Server
	redirectTo string

	mu  sync.Mutex
	got []receipt
}

// newReceiver starts a receiver on receiverHost; it stops when the test
// ends.
func newReceiver(t testing.TB, redirectTo string) *receiver {
	t.Helper()
	ln, err := net.Listen("tcp", receiverHost+":0")
	if err != nil {
		t.Fatalf("listen on %s (Linux routes all of 127/8 to loopback): %v", receiverHost, err)
	}
	r := &receiver{redirectTo: redirectTo}
	r.Server = &httptest.Server{Listener: ln, Config: &http.Server{Handler: r}}
	r.Start()
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	switch {
	case req.URL.Path == "/redirect":
		http.Redirect(w, req, r.redirectTo, http.StatusFound)
	case req.URL.Path == "/internal":
		_, _ = io.WriteString(w, internalBody)
	case strings.HasPrefix(req.URL.Path, "/hook/"):
		r.mu.Lock()
		r.got = append(r.got, receipt{key: strings.TrimPrefix(req.URL.Path, "/hook/"),
			header: req.Header.Clone(), body: body})
		r.mu.Unlock()
	}
}

// since returns the receipts from index n on.
func (r *receiver) since(n int) []receipt {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n >= len(r.got) {
		return nil
	}
	return append([]receipt(nil), r.got[n:]...)
}

// count is how many receipts the receiver has.
func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// verified reports whether the official Standard Webhooks library accepts
// the receipt with one of secrets.
func (rc receipt) verified(secrets []string) bool {
	for _, s := range secrets {
		if wh, err := standardwebhooks.NewWebhook(s); err == nil && wh.Verify(rc.body, rc.header) == nil {
			return true
		}
	}
	return false
}

// trap is a listener at an address Herald must never reach: it counts every
// connection made to it.
type trap struct {
	port string
	hits atomic.Int64
}

// newTrap listens on 127.0.0.1 and, on the same port when it can, on ::1.
func newTrap(t testing.TB) *trap {
	t.Helper()
	tr := &trap{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, tr.port, _ = net.SplitHostPort(ln.Addr().String())
	tr.serve(t, ln)
	if ln6, err := net.Listen("tcp", "[::1]:"+tr.port); err == nil {
		tr.serve(t, ln6)
	}
	return tr
}

func (tr *trap) serve(t testing.TB, ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "trap")
	}), ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			tr.hits.Add(1)
		}
	}, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
}
