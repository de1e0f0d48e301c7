package lambdart

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawClient plays a bootstrap by hand against rt: it fetches the next
// invocation and returns its id and headers.
func next(t *testing.T, rt *Runtime) (string, http.Header, string) {
	t.Helper()
	resp, err := http.Get("http://" + rt.Addr() + "/2018-06-01/runtime/invocation/next")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("next: %d %s", resp.StatusCode, b)
	}
	return resp.Header.Get(HeaderRequestID), resp.Header, string(b)
}

func post(t *testing.T, rt *Runtime, path, contentType string, body io.Reader, trailer http.Header) int {
	t.Helper()
	req, err := http.NewRequest("POST", "http://"+rt.Addr()+"/2018-06-01/runtime"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Trailer = trailer
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func newRuntime(t *testing.T) *Runtime {
	t.Helper()
	rt, err := NewRuntime(RuntimeConfig{FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f", Timeout: 7 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rt.Close() })
	return rt
}

// invokeAsync invokes rt in the background.
func invokeAsync(rt *Runtime, payload string) (<-chan *Result, <-chan error) {
	res, errc := make(chan *Result, 1), make(chan error, 1)
	go func() {
		r, err := rt.Invoke(context.Background(), []byte(payload))
		res <- r
		errc <- err
	}()
	return res, errc
}

func TestNextGivesThePayloadWithItsHeaders(t *testing.T) {
	rt := newRuntime(t)
	resc, errc := invokeAsync(rt, `{"hello":1}`)
	id, h, payload := next(t, rt)
	if payload != `{"hello":1}` || id == "" {
		t.Fatalf("next: id %q payload %q", id, payload)
	}
	if h.Get(HeaderFunctionARN) != "arn:aws:lambda:us-east-1:123456789012:function:f" {
		t.Errorf("function ARN header %q", h.Get(HeaderFunctionARN))
	}
	ms, err := strconv.ParseInt(h.Get(HeaderDeadlineMs), 10, 64)
	if left := time.Until(time.UnixMilli(ms)); err != nil || left < 6*time.Second || left > 7*time.Second {
		t.Errorf("deadline header %q: %v left, want the 7 s timeout", h.Get(HeaderDeadlineMs), left)
	}
	if st := post(t, rt, "/invocation/"+id+"/response", "application/json", strings.NewReader(`{"ok":true}`), nil); st != http.StatusAccepted {
		t.Fatalf("response: %d", st)
	}
	res, err := <-resc, <-errc
	if err != nil || res.Error != nil || string(res.Payload) != `{"ok":true}` || res.RequestID != id {
		t.Fatalf("result %+v, %v", res, err)
	}
	// The id is finished: a second answer is refused.
	if st := post(t, rt, "/invocation/"+id+"/response", "application/json", strings.NewReader(`{}`), nil); st != http.StatusBadRequest {
		t.Errorf("second response to %s: %d, want 400", id, st)
	}
}

func TestErrorIsTheInvocationsResult(t *testing.T) {
	rt := newRuntime(t)
	resc, errc := invokeAsync(rt, `{}`)
	id, _, _ := next(t, rt)
	post(t, rt, "/invocation/"+id+"/error", "application/json",
		strings.NewReader(`{"errorMessage":"boom","errorType":"errorString"}`), nil)
	res, err := <-resc, <-errc
	if err != nil || res.Error == nil || res.Error.Message != "boom" || res.Error.Type != "errorString" {
		t.Fatalf("result %+v, %v", res, err)
	}
}

func TestInitErrorFailsInvocations(t *testing.T) {
	rt := newRuntime(t)
	post(t, rt, "/init/error", "application/json", strings.NewReader(`{"errorMessage":"no config","errorType":"Runtime.Init"}`), nil)
	_, err := rt.Invoke(context.Background(), []byte(`{}`))
	if !errors.Is(err, ErrInit) || !strings.Contains(err.Error(), "no config") {
		t.Fatalf("invoke after an init error: %v", err)
	}
}

func TestStreamedHTTPResponseIsParsed(t *testing.T) {
	rt := newRuntime(t)
	resc, errc := invokeAsync(rt, `{}`)
	id, _, _ := next(t, rt)
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, `{"statusCode":201,"headers":{"X-A":"b"},"cookies":["c=1"]}`)
		_, _ = pw.Write(make([]byte, 8))
		_, _ = io.WriteString(pw, "body\x00with a NUL")
		_ = pw.Close()
	}()
	post(t, rt, "/invocation/"+id+"/response", ContentTypeHTTP, pr, nil)
	res, err := <-resc, <-errc
	if err != nil || res.Error != nil || res.HTTP == nil {
		t.Fatalf("result %+v, %v", res, err)
	}
	if !res.Streamed {
		t.Error("a chunked response is not marked streamed")
	}
	if h := res.HTTP; h.StatusCode != 201 || h.Header.Get("X-A") != "b" || len(h.Cookies) != 1 || string(h.Body) != "body\x00with a NUL" {
		t.Fatalf("HTTP %+v body %q", h, h.Body)
	}
}

func TestStreamEndingInErrorTrailersIsAnError(t *testing.T) {
	rt := newRuntime(t)
	resc, errc := invokeAsync(rt, `{}`)
	id, _, _ := next(t, rt)
	trailer := http.Header{HeaderErrorType: nil, HeaderErrorBody: nil}
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, "partial")
		trailer.Set(HeaderErrorType, "errorString")
		trailer.Set(HeaderErrorBody, "eyJlcnJvck1lc3NhZ2UiOiJicm9rZSJ9") // {"errorMessage":"broke"}
		_ = pw.Close()
	}()
	post(t, rt, "/invocation/"+id+"/response", "application/octet-stream", pr, trailer)
	res, err := <-resc, <-errc
	if err != nil || res.Error == nil || res.Error.Type != "errorString" || res.Error.Message != "broke" {
		t.Fatalf("result %+v (error %+v), %v", res, res.Error, err)
	}
}

func TestHTTPResponseWithoutPreludeSeparatorIsAnError(t *testing.T) {
	if _, err := parseHTTPResponse([]byte(`{"statusCode":200}body`)); err == nil {
		t.Fatal("parsed a response with no separator")
	}
	h, err := parseHTTPResponse(append([]byte(`{}`), make([]byte, 8)...))
	if err != nil || h.StatusCode != 200 || len(h.Body) != 0 {
		t.Fatalf("empty prelude: %+v %v", h, err)
	}
}

func TestInvokeWaitsForAPoll(t *testing.T) {
	rt := newRuntime(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := rt.Invoke(ctx, []byte(`{}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("invoke with no bootstrap polling: %v", err)
	}
}
