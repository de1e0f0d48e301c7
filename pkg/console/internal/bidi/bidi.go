// Package bidi is a small WebDriver BiDi client, for the console's tests in
// Firefox: it starts a headless Firefox on a profile of its own, opens a
// session over the browser's own WebSocket (Firefox speaks BiDi natively,
// with no driver between) and sends the few commands the tests use. It is
// test support only: nothing outside tests imports it.
//
// Commands follow the W3C WebDriver BiDi specification: [Browser.Call] sends
// any command and decodes its result; the helpers in commands.go wrap the
// ones the tests use. Events the session subscribes to (log.entryAdded, say)
// go to the handler given to [Start].
package bidi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Event is an event the browser sent: its method (log.entryAdded) and params.
type Event struct {
	Method string
	Params json.RawMessage
}

// Error is a command's error answer: its code (no such element, ...) and message.
type Error struct {
	Code    string `json:"error"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// message is anything the browser sends: a command's answer or an event.
type message struct {
	ID     *int64          `json:"id"`
	Type   string          `json:"type"` // success, error or event
	Result json.RawMessage `json:"result"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Error
}

// Browser is a running Firefox and its BiDi session.
type Browser struct {
	cmd     *exec.Cmd
	profile string
	conn    *websocket.Conn
	onEvent func(Event)

	mu      sync.Mutex
	next    int64
	pending map[int64]chan message
	closed  chan struct{} // closed when the connection is gone
	err     error         // why it is gone
}

// Start starts the Firefox at path headless, with a new profile in a
// temporary directory, and opens a session. onEvent (nil for none) is called
// with each event, one at a time, in the order the browser sent them.
// Close ends it.
func Start(ctx context.Context, path string, onEvent func(Event)) (*Browser, error) {
	profile, err := os.MkdirTemp("", "bidi-firefox-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, "--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port=0", "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(profile)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(profile)
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	url, err := listening(ctx, stderr)
	var b *Browser
	if err == nil {
		b, err = connect(ctx, url+"/session", onEvent)
	}
	if err != nil {
		stop(cmd, profile, 0)
		return nil, fmt.Errorf("connect to %s: %w", path, err)
	}
	b.cmd, b.profile = cmd, profile
	if err := b.Call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}}, nil); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// connect opens a WebSocket to a BiDi endpoint at url and reads from it.
func connect(ctx context.Context, url string, onEvent func(Event)) (*Browser, error) {
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(64 << 20) // a full-page screenshot is megabytes of base64
	b := &Browser{conn: conn, onEvent: onEvent, pending: map[int64]chan message{}, closed: make(chan struct{})}
	go b.read()
	return b, nil
}

// listening reads Firefox's standard error until it says where BiDi
// listens, and then drains it in the background.
func listening(ctx context.Context, stderr io.Reader) (string, error) {
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			if url, ok := strings.CutPrefix(lines.Text(), "WebDriver BiDi listening on "); ok {
				found <- strings.TrimSpace(url)
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case url := <-found:
		return url, nil
	case <-ctx.Done():
		return "", fmt.Errorf("waiting for WebDriver BiDi to listen: %w", ctx.Err())
	}
}

// read routes the browser's messages until the connection closes.
func (b *Browser) read() {
	var err error
	defer func() {
		b.mu.Lock()
		b.err = err
		b.mu.Unlock()
		close(b.closed)
	}()
	for {
		var data []byte
		if _, data, err = b.conn.Read(context.Background()); err != nil {
			return
		}
		var m message
		if err = json.Unmarshal(data, &m); err != nil {
			return
		}
		if m.Type == "event" {
			if b.onEvent != nil {
				b.onEvent(Event{Method: m.Method, Params: m.Params})
			}
			continue
		}
		if m.ID == nil {
			continue // an error about no command in particular
		}
		b.mu.Lock()
		answer := b.pending[*m.ID]
		delete(b.pending, *m.ID)
		b.mu.Unlock()
		if answer != nil {
			answer <- m
		}
	}
}

// Call sends the command method with params and decodes its result into
// result (nil to ignore it). An error answer is an *Error.
func (b *Browser) Call(ctx context.Context, method string, params, result any) error {
	b.mu.Lock()
	b.next++
	id := b.next
	answer := make(chan message, 1)
	b.pending[id] = answer
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
	}()
	if params == nil {
		params = map[string]any{}
	}
	data, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	if err := b.conn.Write(ctx, websocket.MessageText, data); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case m := <-answer:
		if m.Type == "error" {
			return fmt.Errorf("%s: %w", method, &m.Error)
		}
		if result == nil {
			return nil
		}
		return json.Unmarshal(m.Result, result)
	case <-b.closed:
		return fmt.Errorf("%s: connection closed: %v", method, b.err)
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// Close ends the session and the browser and removes its profile.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := b.Call(ctx, "browser.close", nil, nil)
	var closed bool
	select {
	case <-b.closed: // the browser closes the connection as it quits
		closed = true
	case <-ctx.Done():
	}
	if closed {
		err = nil
	}
	b.conn.CloseNow()
	if b.cmd == nil {
		return err
	}
	return errors.Join(err, stop(b.cmd, b.profile, 10*time.Second))
}

// stop waits up to grace for the browser cmd to quit, kills it if it does
// not, and removes its profile.
func stop(cmd *exec.Cmd, profile string, grace time.Duration) error {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-exited
	}
	return os.RemoveAll(profile)
}
