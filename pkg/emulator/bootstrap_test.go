package emulator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// functionNames are the five Lambda functions, as their functions/ dirs
// name them.
var functionNames = []string{"admin", "ingest", "deliver", "retry-scheduler", "expiry-notifier"}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildOut  []byte
)

// bootstraps builds the five function binaries once per test process, as
// `make build` does (static, lambda.norpc, trimmed, stripped) but for this
// machine's architecture, and returns their paths by function name. The
// tests that run the binaries share them; removeBootstraps deletes them.
func bootstraps(t *testing.T) map[string]string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "herald-bootstraps-")
		if buildErr != nil {
			return
		}
		args := []string{"build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", buildDir + string(filepath.Separator)}
		for _, f := range functionNames {
			args = append(args, "../../functions/"+f)
		}
		cmd := exec.Command("go", args...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build the bootstraps: %v\n%s", buildErr, buildOut)
	}
	out := map[string]string{}
	for _, f := range functionNames {
		out[f] = filepath.Join(buildDir, f)
	}
	return out
}

func removeBootstraps() {
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
}
