package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/pkg/signature"
)

// eventSize is the size of every bench event body.
const eventSize = 1024

// payload is what a bench event carries in its data: its sequence number and
// when it was (meant to be) published.
type payload struct {
	Seq  int   `json:"seq"`
	Sent int64 `json:"sent"` // Unix nanoseconds
}

// eventBody returns a 1 KiB bench.event envelope carrying p.
func eventBody(p payload) []byte {
	head := `{"event_type":"bench.event","data":{"seq":` + strconv.Itoa(p.Seq) +
		`,"sent":` + strconv.FormatInt(p.Sent, 10) + `,"pad":"`
	tail := `"}}`
	return []byte(head + strings.Repeat("x", eventSize-len(head)-len(tail)) + tail)
}

// receiver is a loopback HTTP server (keep-alive) that checks the hex
// signature of each request, decodes its payload and answers what handle
// returns.
type receiver struct {
	URL    string
	BadSig atomic.Int64
	srv    *http.Server
}

func newReceiver(handle func(p payload, at time.Time) int) (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	key, err := signature.Key(benchSecret)
	if err != nil {
		return nil, err
	}
	r := &receiver{URL: "http://" + ln.Addr().String() + "/hook"}
	r.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(
		func(w http.ResponseWriter, req *http.Request) {
			at := time.Now()
			body, _ := io.ReadAll(req.Body)
			if !signature.VerifyHex(key, body, req.Header.Get(signature.DefaultPrefix+"Signature")) {
				r.BadSig.Add(1)
			}
			var ev struct {
				Data payload `json:"data"`
			}
			if err := json.Unmarshal(body, &ev); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			w.WriteHeader(handle(ev.Data, at))
		})}
	go func() {
		if err := r.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("receiver:", err)
		}
	}()
	return r, nil
}

func (r *receiver) close() { _ = r.srv.Close() }

// counter counts arrivals and closes done at the want-th.
type counter struct {
	n    atomic.Int64
	want int64
	done chan struct{}
}

func newCounter(want int) *counter { return &counter{want: int64(want), done: make(chan struct{})} }

func (c *counter) add() {
	if c.n.Add(1) == c.want {
		close(c.done)
	}
}

// wait waits for the want-th arrival or the timeout; it reports whether all
// arrived.
func (c *counter) wait(timeout time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(timeout):
		return false
	}
}
