package adminfn_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/function/adminfn"
)

// serve runs the admin server built from c with h on 127.0.0.1 and returns
// its address.
func serve(t *testing.T, c config.Config, h http.Handler) string {
	t.Helper()
	ln, err := adminfn.Listen("127.0.0.1:0", c)
	if err != nil {
		t.Fatal(err)
	}
	srv := adminfn.NewServer(h, c)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// dial opens a connection to addr and writes req on it.
func dial(t *testing.T, addr, req string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	return conn
}

const getRequest = "GET / HTTP/1.1\r\nHost: herald\r\n\r\n"

// A client that sends its headers and then trickles (here: stops sending)
// its body is cut off once the read timeout has passed, whatever the
// handler does with the body.
func TestSlowBodyIsCutOff(t *testing.T) {
	t.Parallel()
	addr := serve(t, config.Config{AdminReadTimeout: 200 * time.Millisecond},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.ReadAll(r.Body); err != nil {
				w.WriteHeader(http.StatusRequestTimeout)
			}
		}))
	conn := dial(t, addr, "POST / HTTP/1.1\r\nHost: herald\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err := io.ReadAll(conn) // until the server closes the connection
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("slow body still connected after %v", time.Since(start))
	}
}

// Past the connection cap a new connection is not accepted (its request
// not read) until an accepted one closes.
func TestConnectionsBeyondCapWait(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}, 3), make(chan struct{})
	calls := make(chan struct{}, 2) // the first two requests block
	for range 2 {
		calls <- struct{}{}
	}
	addr := serve(t, config.Config{AdminMaxConns: 2, AdminReadTimeout: 10 * time.Second},
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			entered <- struct{}{}
			select {
			case <-calls:
				<-release
			default:
			}
			_, _ = io.WriteString(w, "ok")
		}))
	held := []net.Conn{dial(t, addr, getRequest), dial(t, addr, getRequest)}
	for range 2 {
		<-entered
	}
	third := dial(t, addr, getRequest)
	_ = third.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := bufio.NewReader(third).ReadString('\n'); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a connection past the cap was served (%v)", err)
	}
	close(release)
	resp, err := http.ReadResponse(bufio.NewReader(held[0]), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	_ = held[0].Close() // frees a slot
	_ = third.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err = http.ReadResponse(bufio.NewReader(third), nil)
	if err != nil {
		t.Fatalf("the waiting connection was not served once a slot freed: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "ok") {
		t.Fatalf("third: %d %s", resp.StatusCode, body)
	}
}
