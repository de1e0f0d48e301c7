// Command emulator runs Herald against AWS emulators: it starts moto_server
// on 127.0.0.1 (SQS, SNS, DynamoDB), creates the queues, topic, subscription
// and tables of template.yaml there, builds the five function binaries and
// runs each as its own long-running process pointed at them, until Ctrl-C.
//
//	go run ./scripts/emulator            # or: make emulator
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/heraldhq/herald/pkg/emulator"
	"github.com/heraldhq/herald/pkg/moto"
)

var functions = []string{"admin", "ingest", "deliver", "retry-scheduler", "expiry-notifier"}

func main() {
	motoAddr := flag.String("moto", "127.0.0.1:5001", "address moto_server listens on")
	addr := flag.String("addr", "127.0.0.1:8080", "address of the admin API")
	flag.Parse()
	if err := run(*motoAddr, *addr); err != nil {
		log.Fatal(err)
	}
}

func run(motoAddr, addr string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return fmt.Errorf("moto_server is not installed (pip install 'moto[server]'): %w", err)
	}
	server, endpoint, err := moto.Run(bin, motoAddr)
	if err != nil {
		return err
	}
	defer func() { _ = server.Process.Kill(); _ = server.Wait() }()
	created, err := emulator.Create(ctx, moto.Config(endpoint), "template.yaml", "herald-")
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "herald-emulator")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	env := os.Environ()
	for k, v := range created.Env(endpoint, moto.Region) {
		env = append(env, k+"="+v)
	}
	token := os.Getenv("HERALD_ADMIN_TOKEN")
	if token == "" {
		token = rand.Text()
	}
	env = append(env, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION="+moto.Region,
		"HERALD_ADMIN_TOKEN="+token, "HERALD_ADDR="+addr, "HERALD_ALLOW_PRIVATE_TARGETS=true")
	if os.Getenv("HERALD_TOKEN_SIGNING_KEY") == "" {
		// The key of the tokens /oauth/token issues; every process that
		// checks them shares it.
		env = append(env, "HERALD_TOKEN_SIGNING_KEY="+rand.Text()+rand.Text())
	}

	var procs []*exec.Cmd
	defer func() {
		for _, p := range procs {
			_ = p.Process.Signal(syscall.SIGTERM)
		}
		for _, p := range procs {
			_ = p.Wait()
		}
	}()
	for _, f := range functions {
		out := filepath.Join(dir, f)
		if b, err := exec.Command("go", "build", "-o", out, "./functions/"+f).CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %v\n%s", f, err, b)
		}
		p := exec.Command(out)
		p.Env, p.Stdout, p.Stderr = env, os.Stdout, os.Stderr
		dieWithParent(p)
		if err := p.Start(); err != nil {
			return fmt.Errorf("start %s: %w", f, err)
		}
		procs = append(procs, p)
	}
	fmt.Printf("\nHerald on emulators: admin API http://%s, token %s\n", addr, token)
	fmt.Printf("moto_server %s; publish events with:\n  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --endpoint-url %s --region %s sns publish --topic-arn %s --message '{\"event_type\":\"secret.rotated\"}'\n\n",
		endpoint, endpoint, moto.Region, created.TopicARN["IngestTopic"])
	<-ctx.Done()
	return nil
}
