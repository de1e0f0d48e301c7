package lambdart

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config says which bootstrap to run and how.
type Config struct {
	// Bootstrap is the path of the function's executable. Required.
	Bootstrap string
	// Name is the function's name (AWS_LAMBDA_FUNCTION_NAME). Required.
	Name string
	// ARN is the function's ARN. Defaults to one made of Region and Name.
	ARN string
	// Region is AWS_REGION. Defaults to "us-east-1".
	Region string
	// Timeout is the function's timeout. Defaults to 30 s.
	Timeout time.Duration
	// MemoryMB is AWS_LAMBDA_FUNCTION_MEMORY_SIZE. Defaults to 128.
	MemoryMB int
	// Env is the function's own environment (its Environment.Variables,
	// credentials, AWS_ENDPOINT_URL for an emulator). The process gets
	// this, the variables Lambda defines, and nothing else of this
	// process's environment.
	Env map[string]string
	// Output receives the function's stdout and stderr (its logs). Defaults
	// to discarding them; the last 16 KiB are kept for Exited either way.
	Output io.Writer
}

// Function is a bootstrap process served by its own Runtime.
type Function struct {
	*Runtime
	cfg    Config
	cmd    *exec.Cmd
	exited chan struct{}
	tail   *tailBuffer
	err    error // set before exited is closed
	began  time.Time
}

// Start starts the bootstrap with AWS_LAMBDA_RUNTIME_API pointing at a new
// Runtime. Stop it with Close.
func Start(cfg Config) (*Function, error) {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.ARN == "" {
		cfg.ARN = "arn:aws:lambda:" + cfg.Region + ":123456789012:function:" + cfg.Name
	}
	if cfg.MemoryMB == 0 {
		cfg.MemoryMB = 128
	}
	rt, err := NewRuntime(RuntimeConfig{FunctionARN: cfg.ARN, Timeout: cfg.Timeout})
	if err != nil {
		return nil, err
	}
	f := &Function{Runtime: rt, cfg: cfg, exited: make(chan struct{}), tail: &tailBuffer{max: 16 << 10}}
	f.cmd = exec.Command(cfg.Bootstrap)
	f.cmd.Env = f.environ()
	var out io.Writer = f.tail
	if cfg.Output != nil {
		out = io.MultiWriter(f.tail, cfg.Output)
	}
	f.cmd.Stdout, f.cmd.Stderr = out, out
	f.began = time.Now()
	if err := f.cmd.Start(); err != nil {
		_ = rt.Close()
		return nil, fmt.Errorf("start %s: %w", cfg.Bootstrap, err)
	}
	go func() {
		f.err = f.cmd.Wait()
		close(f.exited)
	}()
	return f, nil
}

// environ is what Lambda sets for a provided.al2023 function, with the
// function's own variables.
func (f *Function) environ() []string {
	env := map[string]string{
		"AWS_LAMBDA_RUNTIME_API":          f.Addr(),
		"AWS_LAMBDA_FUNCTION_NAME":        f.cfg.Name,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(f.cfg.MemoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + f.cfg.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      "local",
		"AWS_REGION":                      f.cfg.Region,
		"AWS_DEFAULT_REGION":              f.cfg.Region,
		"AWS_EXECUTION_ENV":               "AWS_Lambda_provided.al2023",
		"_HANDLER":                        "bootstrap",
		"TZ":                              ":UTC",
		"PATH":                            "/usr/local/bin:/usr/bin:/bin",
	}
	for k, v := range f.cfg.Env {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// Invoke invokes the function with payload and waits for its answer. It
// fails at once when the process has exited (its output's tail is in the
// error) or reported an init error.
func (f *Function) Invoke(ctx context.Context, payload []byte) (*Result, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		select {
		case <-f.exited:
			cancel(f.Exited())
		case <-ctx.Done():
		}
	}()
	res, err := f.Runtime.Invoke(ctx, payload)
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && cause != ctx.Err() {
			return nil, cause
		}
		return nil, err
	}
	return res, nil
}

// Exited returns nil while the process runs, else an error with its exit
// status and the tail of its output.
func (f *Function) Exited() error {
	select {
	case <-f.exited:
		return fmt.Errorf("%s exited (%v); its last output:\n%s", f.cfg.Name, f.err, f.tail.String())
	default:
		return nil
	}
}

// InitDuration is how long the process took from its start to its first
// poll for an invocation (its init), or 0 while it has not polled.
func (f *Function) InitDuration() time.Duration {
	at := f.ReadyAt()
	if at.IsZero() {
		return 0
	}
	return at.Sub(f.began)
}

// Done is closed when the process has exited.
func (f *Function) Done() <-chan struct{} { return f.exited }

// Output returns the tail of the process's output.
func (f *Function) Output() string { return f.tail.String() }

// Close kills the process and stops the Runtime.
func (f *Function) Close() error {
	if f.cmd.Process != nil {
		_ = f.cmd.Process.Kill()
	}
	<-f.exited
	return f.Runtime.Close()
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}

// PID is the bootstrap's process id.
func (f *Function) PID() int { return f.cmd.Process.Pid }

// PeakRSS is the bootstrap's peak resident set size in KiB so far: VmHWM of
// /proc/<pid>/status (Linux only), read while the process runs. It is what
// Lambda's "Max Memory Used" reports for the process, and so what
// MemorySize is sized from.
func (f *Function) PeakRSS() (int64, error) {
	if err := f.Exited(); err != nil {
		return 0, err
	}
	return readVmHWM(fmt.Sprintf("/proc/%d/status", f.PID()))
}

// readVmHWM reads the VmHWM line ("VmHWM:     12345 kB") of a
// /proc/<pid>/status file.
func readVmHWM(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	for line := range strings.Lines(string(b)) {
		rest, ok := strings.CutPrefix(line, "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("peak RSS: %s: unexpected %q", path, strings.TrimSpace(line))
		}
		return strconv.ParseInt(fields[0], 10, 64)
	}
	return 0, fmt.Errorf("peak RSS: no VmHWM in %s", path)
}
