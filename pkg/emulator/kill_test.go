package emulator_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/moto"
)

// TestKillDeliverLosesNothing runs the five function binaries as separate
// processes against moto (the emulator mode), publishes events to the SNS
// topic, kills the deliver process with SIGKILL while it is busy, starts it
// again, and checks that every event is delivered at least once.
func TestKillDeliverLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the function binaries")
	}
	t.Parallel()
	ctx := context.Background()
	endpoint := moto.Start(t)
	awsCfg := moto.Config(endpoint)
	created := createStack(t, awsCfg, "kill-")
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator),
		"../../functions/admin", "../../functions/ingest", "../../functions/deliver", "../../functions/retry-scheduler")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	env := os.Environ()
	for k, v := range created.Env(endpoint, moto.Region) {
		env = append(env, k+"="+v)
	}
	env = append(env, "HERALD_ADDR="+addr, "HERALD_ADMIN_TOKEN=kill-test-token-0123456789abcdefghij", "HERALD_ALLOW_PRIVATE_TARGETS=true",
		"HERALD_DELIVERY_TIMEOUT=2s", "HERALD_SWEEP_GRACE=1s", "HERALD_SWEEP_INTERVAL=1s",
		"HERALD_RETRY_SCHEDULE=1s,1s,1s", "HERALD_LOG_LEVEL=warn")
	start := func(name string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(bin, name))
		cmd.Env, cmd.Stdout, cmd.Stderr = env, t.Output(), t.Output()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		return cmd
	}
	for _, f := range []string{"admin", "ingest", "retry-scheduler"} {
		start(f)
	}
	deliver := start("deliver")
	waitHealthy(t, "http://"+addr+"/healthz")

	r := contract.NewReceiver(t, "X-Herald-")
	api := contract.NewAPI(t, "http://"+addr, "kill-test-token-0123456789abcdefghij")
	api.CreateWebhook(r, map[string]any{})

	const n = 60
	publisher := sns.NewFromConfig(awsCfg)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"event_id":"evt_kill_%d","event_type":"order.created"}`, i)
			if _, err := publisher.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(created.TopicARN["IngestTopic"]),
				Message: aws.String(body)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	r.WaitFor(10, time.Minute)
	if err := deliver.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = deliver.Wait()
	killedAt := len(r.Got())
	start("deliver")

	deadline := time.Now().Add(90 * time.Second)
	for {
		seen := map[string]int{}
		for _, g := range r.Got() {
			seen[g.Header.Get("webhook-id")]++
		}
		if len(seen) == n {
			dups := 0
			for _, c := range seen {
				dups += c - 1
			}
			t.Logf("%d events delivered, %d before the kill, %d duplicate requests", n, killedAt, dups)
			return
		}
		if time.Now().After(deadline) {
			missing := []string{}
			for i := range n {
				if id := fmt.Sprintf("evt_kill_%d", i); seen[id] == 0 {
					missing = append(missing, id)
				}
			}
			t.Fatalf("%d of %d events never delivered after the kill: %s", len(missing), n, strings.Join(missing, " "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not healthy", url)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
