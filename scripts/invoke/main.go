// Command invoke runs one Herald function's Lambda bootstrap on this machine,
// once, through a local Lambda Runtime API (pkg/lambdart; no Docker), with the
// event in a file, and prints the function's answer: a Function URL response
// as status, headers and body, any other answer as JSON. The function's logs
// go to stderr. It builds the bootstrap for this machine with `make build`'s
// flags and gives it the HERALD_* and AWS_* variables of this environment and
// nothing else, as Lambda gives a function only its own.
//
//	go run ./scripts/invoke -function ingest -event events/sqs-ingest-batch.json
//	HERALD_ADMIN_TOKEN=sample-token go run ./scripts/invoke -function admin -event events/function-url-list-webhooks.json
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/heraldhq/herald/pkg/lambdart"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "invoke:", err)
		os.Exit(1)
	}
}

func run() error {
	function := flag.String("function", "", "the function: admin, ingest, deliver, retry-scheduler or expiry-notifier")
	event := flag.String("event", "", "the event file (e.g. events/sqs-ingest-batch.json)")
	timeout := flag.Duration("timeout", 30*time.Second, "the function's timeout")
	flag.Parse()
	if *function == "" || *event == "" {
		flag.Usage()
		return fmt.Errorf("-function and -event are required")
	}
	if _, err := os.Stat(filepath.Join("functions", *function, "main.go")); err != nil {
		return fmt.Errorf("no function %q under functions/ (run from the repository root)", *function)
	}
	payload, err := os.ReadFile(*event)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "herald-invoke-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", bin, "./functions/"+*function)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build %s: %w", *function, err)
	}
	env := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "HERALD_") || strings.HasPrefix(k, "AWS_") {
			env[k] = v
		}
	}
	region := env["AWS_REGION"]
	fn, err := lambdart.Start(lambdart.Config{Bootstrap: bin, Name: "herald-" + *function, Region: region,
		Timeout: *timeout, Env: env, Output: os.Stderr})
	if err != nil {
		return err
	}
	defer fn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout+30*time.Second)
	defer cancel()
	res, err := fn.Invoke(ctx, payload)
	select {
	case <-fn.Done():
		return fmt.Errorf("the function exited before answering (its output is above)")
	default:
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "init %s\n", fn.InitDuration().Round(time.Millisecond))
	return print(res)
}

func print(res *lambdart.Result) error {
	if res.Error != nil {
		return fmt.Errorf("the function failed: %s", res.Error)
	}
	if h := res.HTTP; h != nil {
		fmt.Printf("HTTP %d\n", h.StatusCode)
		keys := make([]string, 0, len(h.Header))
		for k := range h.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Printf("%s: %s\n", k, strings.Join(h.Header[k], ", "))
		}
		for _, c := range h.Cookies {
			fmt.Printf("Set-Cookie: %s\n", c)
		}
		fmt.Println()
		return printBody(h.Body)
	}
	return printBody(res.Payload)
}

func printBody(b []byte) error {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") == nil {
		b = out.Bytes()
	}
	_, err := fmt.Println(string(b))
	return err
}
