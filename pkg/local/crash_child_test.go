package local_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/heraldhq/herald/pkg/boltdoc" // bolt:// collections, local mode's default
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/local"
	"github.com/heraldhq/herald/pkg/logging"
)

// The crash tests run local mode in a child process: this test binary again,
// with crashChildEnv set, which makes TestMain run local mode the way
// functions/local does instead of the tests.
const (
	crashChildEnv = "HERALD_CRASH_CHILD"
	// childAddrPrefix starts the line on which the child prints its admin
	// address once it is ready.
	childAddrPrefix = "herald-crash-child-addr="
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) == "1" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

// runChild is functions/local's main: local mode configured from the
// environment until SIGINT or SIGTERM, then a graceful shutdown. It returns
// the exit code.
func runChild() int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "herald crash child:", err)
		return 1
	}
	cfg, err := config.FromEnv(os.Getenv, config.Local)
	if err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sys, err := local.Start(ctx, cfg, local.Options{Logger: logging.New(os.Stderr, cfg.LogLevel, ""),
		ShutdownTimeout: cfg.ShutdownTimeout})
	if err != nil {
		return fail(err)
	}
	fmt.Println(childAddrPrefix + sys.Addr)
	if err := sys.Wait(ctx); err != nil {
		return fail(err)
	}
	return 0
}

// child is one local-mode process.
type child struct {
	cmd     *exec.Cmd
	addr    string
	started time.Duration // from exec to ready
	done    chan struct{} // closed when it has exited
	err     error         // how it exited, once done
}

// startChild runs local mode in a new process with env (on top of this
// process's environment, without its HERALD_ variables), its output going
// to logPath, and waits until it is ready.
func startChild(t *testing.T, env map[string]string, logPath string) *child {
	t.Helper()
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HERALD_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, crashChildEnv+"=1")
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), childAddrPrefix); ok {
				addr <- a
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		c.err = cmd.Wait()
		_ = logFile.Close()
		close(c.done)
	}()
	t.Cleanup(func() { c.signal(syscall.SIGKILL); <-c.done })
	select {
	case c.addr = <-addr:
		c.started = time.Since(begin)
		return c
	case <-c.done:
		t.Fatalf("local mode exited before it was ready (%v); its log:\n%s", c.err, tail(logPath))
	case <-time.After(time.Minute):
		t.Fatalf("local mode not ready within a minute; its log:\n%s", tail(logPath))
	}
	return nil
}

// signal sends sig to the child; one that has exited is left alone.
func (c *child) signal(sig syscall.Signal) { _ = c.cmd.Process.Signal(sig) }

// stop sends sig and waits up to within for the child to exit. It returns
// how long that took and the exit error (nil for exit status 0).
func (c *child) stop(sig syscall.Signal, within time.Duration) (time.Duration, error) {
	begin := time.Now()
	c.signal(sig)
	select {
	case <-c.done:
		return time.Since(begin), c.err
	case <-time.After(within):
		c.signal(syscall.SIGKILL)
		<-c.done
		return time.Since(begin), fmt.Errorf("still running %v after %v", sig, within)
	}
}

// tail returns the last lines of the file at path.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-40):], "\n")
}

// childEnv is the environment of every crash-test child on dataDir: local
// mode's defaults (whatever drivers they name) with the shortest retry schedule allowed,
// a fast sweep and a short shutdown timeout.
func childEnv(dataDir string) map[string]string {
	return map[string]string{
		"HERALD_DATA_DIR":              dataDir,
		"HERALD_ADDR":                  "127.0.0.1:0",
		"HERALD_ADMIN_TOKEN":           crashToken,
		"HERALD_ALLOW_PRIVATE_TARGETS": "true",
		"HERALD_REQUIRE_HTTPS":         "false",
		"HERALD_RETRY_SCHEDULE":        "1s,1s,1s,1s,1s,1s,1s",
		"HERALD_DELIVERY_TIMEOUT":      "2s",
		"HERALD_SWEEP_GRACE":           "1s",
		"HERALD_SWEEP_INTERVAL":        "1s",
		"HERALD_SHUTDOWN_TIMEOUT":      "1s",
		"HERALD_LOG_LEVEL":             "warn",
	}
}

// crashToken is the children's admin token (at least 32 bytes, so tokens
// could be derived from it).
const crashToken = "crash-test-admin-token-0123456789abcdef"

// childLog is where run n of a test writes its log.
func childLog(dir string, n int) string { return filepath.Join(dir, fmt.Sprintf("run-%d.log", n)) }
