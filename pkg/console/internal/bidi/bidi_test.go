package bidi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fakeBrowser is a BiDi endpoint that answers the commands it reads in
// pairs, the second first: answers must find their callers by id. A
// command's answer is its params as result, an error for method "fail", a
// script exception for script.evaluate, and events before the answer of
// "emit".
func fakeBrowser(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer conn.CloseNow()
		ctx := r.Context()
		send := func(v any) {
			data, _ := json.Marshal(v)
			_ = conn.Write(ctx, websocket.MessageText, data)
		}
		var pair []map[string]any
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var cmd map[string]any
			_ = json.Unmarshal(data, &cmd)
			if pair = append(pair, cmd); len(pair) < 2 {
				continue
			}
			for _, c := range []map[string]any{pair[1], pair[0]} {
				switch c["method"] {
				case "fail":
					send(map[string]any{"type": "error", "id": c["id"], "error": "no such frame", "message": "gone"})
				case "script.evaluate":
					send(map[string]any{"type": "success", "id": c["id"], "result": map[string]any{"type": "exception",
						"exceptionDetails": map[string]any{"text": "ReferenceError: x is not defined"}}})
				case "emit":
					send(map[string]any{"type": "event", "method": "log.entryAdded", "params": map[string]any{"n": 1}})
					send(map[string]any{"type": "event", "method": "log.entryAdded", "params": map[string]any{"n": 2}})
					fallthrough
				default:
					send(map[string]any{"type": "success", "id": c["id"], "result": c["params"]})
				}
			}
			pair = nil
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestCallRoutesAnswersEventsAndErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	var events []string
	b, err := connect(ctx, fakeBrowser(t), func(e Event) {
		mu.Lock()
		events = append(events, e.Method+" "+string(e.Params))
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer b.conn.CloseNow()

	// Two calls at once, answered in the reverse order.
	var wg sync.WaitGroup
	got := make([]map[string]string, 2)
	errs := make([]error, 2)
	for i, method := range []string{"echo", "emit"} {
		wg.Go(func() { errs[i] = b.Call(ctx, method, map[string]string{"which": method}, &got[i]) })
	}
	wg.Wait()
	for i, method := range []string{"echo", "emit"} {
		if errs[i] != nil || got[i]["which"] != method {
			t.Errorf("%s: %v, %v", method, got[i], errs[i])
		}
	}
	mu.Lock()
	if strings.Join(events, "; ") != `log.entryAdded {"n":1}; log.entryAdded {"n":2}` {
		t.Errorf("events %q, want both, in order", events)
	}
	mu.Unlock()

	// An error answer and a script exception.
	go func() { _ = b.Call(ctx, "echo", nil, nil) }()
	err = b.Call(ctx, "fail", nil, nil)
	var bidiErr *Error
	if !errors.As(err, &bidiErr) || bidiErr.Code != "no such frame" {
		t.Errorf("fail: %v, want the *Error no such frame", err)
	}
	go func() { _ = b.Call(ctx, "echo", nil, nil) }()
	if _, err := b.Evaluate(ctx, "tab", "x"); err == nil || !strings.Contains(err.Error(), "x is not defined") {
		t.Errorf("evaluate: %v, want the exception's text", err)
	}

	// A call on a closed connection fails, without waiting for ctx.
	b.conn.CloseNow()
	<-b.closed
	if err := b.Call(ctx, "echo", nil, nil); err == nil {
		t.Error("a call on a closed connection succeeded")
	}
}

func TestValueGo(t *testing.T) {
	for _, tc := range []struct {
		v    Value
		want any
	}{
		{Value{Type: "string", Value: json.RawMessage(`"a"`)}, "a"},
		{Value{Type: "number", Value: json.RawMessage(`2`)}, 2.0},
		{Value{Type: "number", Value: json.RawMessage(`"NaN"`)}, "NaN"},
		{Value{Type: "boolean", Value: json.RawMessage(`true`)}, true},
		{Value{Type: "null"}, nil},
		{Value{Type: "undefined"}, nil},
		{Value{Type: "node", SharedID: "f.1"}, "node"},
	} {
		if got := tc.v.Go(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.v, got, tc.want)
		}
	}
}
