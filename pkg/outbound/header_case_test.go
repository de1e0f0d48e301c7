package outbound_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/outbound"
	"github.com/heraldhq/herald/pkg/signature"
)

// rawReceiver accepts one HTTP/1.1 request on a plain TCP listener and
// hands back its head exactly as it arrived: Go's HTTP server would
// canonicalise the names before a handler saw them.
func rawReceiver(t *testing.T) (string, <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	heads := make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		br := bufio.NewReader(conn)
		var head strings.Builder
		length := 0
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			head.WriteString(line)
			if line == "\r\n" {
				break
			}
			if name, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Content-Length") {
				length, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		_, _ = io.CopyN(io.Discard, br, int64(length))
		heads <- head.String()
		_, _ = io.WriteString(conn, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
	}()
	return "http://" + ln.Addr().String() + "/hook", heads
}

// TestHeaderNamesGoOutAsWritten: the signature headers carry the
// deployment's prefix with its case ("X-ScaiDrive-Event", not Go's
// "X-Scaidrive-Event") and custom headers keep theirs, on the wire.
func TestHeaderNamesGoOutAsWritten(t *testing.T) {
	t.Parallel()
	url, heads := rawReceiver(t)
	s := outbound.Sender{Client: outbound.NewClient(outbound.ClientConfig{AllowPrivate: true}),
		Signer: signature.Signer{Prefix: "X-ScaiDrive-"}}
	var sent http.Header
	at := s.Send(context.Background(), outbound.Request{URL: url, Secrets: []signature.Secret{{Key: []byte("key")}},
		Headers: map[string]string{"X-Tenant-ID": "t1", "x-lower-case": "v"}, Sent: &sent,
		Message: signature.Message{ID: "evt_1", EventType: "file.uploaded", Timestamp: time.Now(), Body: []byte(`{}`)}})
	if !at.Succeeded() {
		t.Fatalf("attempt = %+v", at)
	}
	head := <-heads
	for _, want := range []string{"\r\nX-ScaiDrive-Event: file.uploaded\r\n", "\r\nX-ScaiDrive-Signature: ",
		"\r\nX-Tenant-ID: t1\r\n", "\r\nx-lower-case: v\r\n", "\r\nContent-Type: application/json\r\n"} {
		if !strings.Contains(head, want) {
			t.Errorf("request head lacks %q:\n%s", want, head)
		}
	}
	if strings.Contains(head, "X-Scaidrive-") {
		t.Errorf("request head has a re-cased prefix:\n%s", head)
	}
	raw := map[string][]string(sent) // keys as written, not canonical
	if got := raw["X-ScaiDrive-Event"]; len(got) != 1 || got[0] != "file.uploaded" {
		t.Errorf("Sent = %v", sent)
	}
	if _, dup := raw["X-Scaidrive-Event"]; dup {
		t.Errorf("Sent keeps a canonical copy too: %v", sent)
	}
}
