package lambdart

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The Runtime API's headers (see the AWS Lambda Runtime API reference).
const (
	HeaderRequestID    = "Lambda-Runtime-Aws-Request-Id"
	HeaderDeadlineMs   = "Lambda-Runtime-Deadline-Ms"
	HeaderFunctionARN  = "Lambda-Runtime-Invoked-Function-Arn"
	HeaderTraceID      = "Lambda-Runtime-Trace-Id"
	HeaderErrorType    = "Lambda-Runtime-Function-Error-Type"
	HeaderErrorBody    = "Lambda-Runtime-Function-Error-Body"
	HeaderResponseMode = "Lambda-Runtime-Function-Response-Mode"
	// ContentTypeHTTP is the content type of a streamed Function URL
	// response: a JSON prelude, eight NUL bytes, the body.
	ContentTypeHTTP = "application/vnd.awslambda.http-integration-response"
)

const apiPrefix = "/2018-06-01/runtime"

// ErrInit is wrapped by the error Invoke returns once the function reported
// an init error.
var ErrInit = errors.New("function init failed")

// RuntimeConfig configures a Runtime.
type RuntimeConfig struct {
	// FunctionARN is sent as Lambda-Runtime-Invoked-Function-Arn.
	// Defaults to "arn:aws:lambda:us-east-1:123456789012:function:test".
	FunctionARN string
	// Timeout is the function's timeout: each invocation's deadline is now
	// plus Timeout. Defaults to 30 s.
	Timeout time.Duration
}

// Runtime serves the Runtime API to one function process. Invocations are
// handed out one at a time, in the order Invoke was called.
type Runtime struct {
	cfg     RuntimeConfig
	ln      net.Listener
	srv     *http.Server
	pending chan *call

	mu       sync.Mutex
	inflight map[string]*call
	initErr  *FunctionError
	initDone chan struct{} // closed on an init error
	ready    chan struct{} // closed on the first poll for an invocation
	readyAt  time.Time
	once     sync.Once
}

type call struct {
	id      string
	payload []byte
	done    chan *Result
}

// NewRuntime listens on a free loopback port and serves the Runtime API
// there until Close.
func NewRuntime(cfg RuntimeConfig) (*Runtime, error) {
	if cfg.FunctionARN == "" {
		cfg.FunctionARN = "arn:aws:lambda:us-east-1:123456789012:function:test"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Runtime{cfg: cfg, ln: ln, pending: make(chan *call), inflight: map[string]*call{},
		initDone: make(chan struct{}), ready: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"/invocation/next", r.next)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/response", r.response)
	mux.HandleFunc("POST "+apiPrefix+"/invocation/{id}/error", r.invocationError)
	mux.HandleFunc("POST "+apiPrefix+"/init/error", r.initError)
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

// Addr is the host:port to put in AWS_LAMBDA_RUNTIME_API.
func (r *Runtime) Addr() string { return r.ln.Addr().String() }

// Close stops serving; a bootstrap waiting for its next invocation gets an
// error and exits.
func (r *Runtime) Close() error { return r.srv.Close() }

// InitError returns the init error the function reported, or nil.
func (r *Runtime) InitError() *FunctionError {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.initErr
}

// Invoke hands payload to the function's next poll and waits for its answer,
// until ctx ends or the function reports an init error.
func (r *Runtime) Invoke(ctx context.Context, payload []byte) (*Result, error) {
	c := &call{id: requestID(), payload: payload, done: make(chan *Result, 1)}
	select {
	case r.pending <- c:
	case <-r.initDone:
		return nil, fmt.Errorf("%w: %s", ErrInit, r.InitError())
	case <-ctx.Done():
		return nil, fmt.Errorf("invocation %s was not picked up: %w", c.id, ctx.Err())
	}
	select {
	case res := <-c.done:
		return res, nil
	case <-r.initDone:
		return nil, fmt.Errorf("%w: %s", ErrInit, r.InitError())
	case <-ctx.Done():
		r.mu.Lock()
		delete(r.inflight, c.id)
		r.mu.Unlock()
		return nil, fmt.Errorf("invocation %s got no answer: %w", c.id, ctx.Err())
	}
}

// Ready is closed when the function first asks for an invocation: its init
// is done.
func (r *Runtime) Ready() <-chan struct{} { return r.ready }

// ReadyAt is when the function first asked for an invocation (zero before).
func (r *Runtime) ReadyAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.readyAt
}

func (r *Runtime) next(w http.ResponseWriter, req *http.Request) {
	r.once.Do(func() {
		r.mu.Lock()
		r.readyAt = time.Now()
		r.mu.Unlock()
		close(r.ready)
	})
	var c *call
	select {
	case c = <-r.pending:
	case <-req.Context().Done():
		return
	}
	r.mu.Lock()
	r.inflight[c.id] = c
	r.mu.Unlock()
	h := w.Header()
	h.Set(HeaderRequestID, c.id)
	h.Set(HeaderDeadlineMs, strconv.FormatInt(time.Now().Add(r.cfg.Timeout).UnixMilli(), 10))
	h.Set(HeaderFunctionARN, r.cfg.FunctionARN)
	h.Set(HeaderTraceID, "Root=1-"+c.id[:8]+"-"+c.id[8:32]+";Sampled=0")
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(c.payload)
}

// take removes and returns the in-flight call id, or answers 400.
func (r *Runtime) take(w http.ResponseWriter, id string) *call {
	r.mu.Lock()
	c := r.inflight[id]
	delete(r.inflight, id)
	r.mu.Unlock()
	if c == nil {
		http.Error(w, `{"errorMessage":"unknown or finished request id","errorType":"InvalidRequestID"}`, http.StatusBadRequest)
	}
	return c
}

func (r *Runtime) response(w http.ResponseWriter, req *http.Request) {
	// Read the whole body before answering, as Lambda does, so trailers are
	// there to read.
	body, err := io.ReadAll(req.Body)
	c := r.take(w, req.PathValue("id"))
	if c == nil {
		return
	}
	res := &Result{RequestID: c.id, ContentType: req.Header.Get("Content-Type")}
	switch {
	case err != nil:
		res.Error = &FunctionError{Type: "Runtime.ResponseReadError", Message: err.Error()}
	case req.Trailer.Get(HeaderErrorType) != "":
		res.Error = trailerError(req.Trailer)
		res.Payload = body
	default:
		res.Payload = body
	}
	res.Streamed = req.Header.Get(HeaderResponseMode) == "streaming" || len(req.TransferEncoding) > 0
	if res.Error == nil && res.ContentType == ContentTypeHTTP {
		res.HTTP, err = parseHTTPResponse(body)
		if err != nil {
			res.Error = &FunctionError{Type: "Runtime.InvalidStreamingResponse", Message: err.Error()}
		}
	}
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
	c.done <- res
}

func (r *Runtime) invocationError(w http.ResponseWriter, req *http.Request) {
	fe := readError(req)
	c := r.take(w, req.PathValue("id"))
	if c == nil {
		return
	}
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
	c.done <- &Result{RequestID: c.id, Error: fe}
}

func (r *Runtime) initError(w http.ResponseWriter, req *http.Request) {
	fe := readError(req)
	r.mu.Lock()
	first := r.initErr == nil
	if first {
		r.initErr = fe
	}
	r.mu.Unlock()
	if first {
		close(r.initDone)
	}
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

// readError reads an error document ({"errorMessage","errorType"}), the
// type header taking precedence when the body has none.
func readError(req *http.Request) *FunctionError {
	b, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	fe := &FunctionError{}
	if json.Unmarshal(b, fe) != nil || fe.Message == "" && fe.Type == "" {
		fe.Message = string(b)
	}
	if fe.Type == "" {
		fe.Type = req.Header.Get(HeaderErrorType)
	}
	return fe
}

func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}
