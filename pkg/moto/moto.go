// Package moto starts moto_server, the AWS emulator (SQS, SNS, DynamoDB), for
// tests that need real AWS APIs. Each call starts its own server on a free
// loopback port and stops it when the test ends.
package moto

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Region is the region every emulated resource lives in.
const Region = "us-east-1"

// Start starts moto_server and returns its endpoint URL. Without
// moto_server on PATH the test is skipped — except under CI (CI set), where
// that is a failure: CI must install it.
func Start(t testing.TB) string {
	t.Helper()
	return StartEnv(t)
}

// StartEnv is Start with extra environment variables for moto_server (e.g.
// "MOTO_IAM_LOAD_MANAGED_POLICIES=true", which makes it know AWS's managed
// IAM policies).
func StartEnv(t testing.TB, env ...string) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("moto_server is not installed; CI must install it (pip install 'moto[server]')")
		}
		t.Skip("moto_server is not installed (pip install 'moto[server]'); skipping the AWS emulator test")
	}
	cmd, endpoint, err := Run(bin, "127.0.0.1:0", env...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return endpoint
}

// Run starts moto_server (bin) on addr, with env added to its environment,
// and waits until it answers. The caller stops it. With port 0 in addr the
// server binds a free port itself and Run reads which from the line it
// announces it with ("Running on http://…"): a port picked beforehand and
// freed for the server to bind could be bound by another in between, and
// that one would answer for it.
func Run(bin, addr string, env ...string) (*exec.Cmd, string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, "-H", host, "-p", port)
	cmd.Env = append(append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION="+Region), env...)
	dieWithParent(cmd)
	announced := make(chan string, 1)
	var stderr *os.File // the server's, when it announces its port
	if port == "0" {
		var r *os.File
		if r, stderr, err = os.Pipe(); err != nil {
			return nil, "", err
		}
		cmd.Stderr = stderr
		go readAnnouncement(r, announced)
	} else {
		announced <- "http://" + addr
	}
	err = cmd.Start()
	if stderr != nil {
		stderr.Close() // the server has its own copy: its end ends the output
	}
	if err != nil {
		return nil, "", fmt.Errorf("start moto_server: %w", err)
	}
	stop := func(err error) (*exec.Cmd, string, error) {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, "", err
	}
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	var endpoint string
	select {
	case endpoint = <-announced:
		if endpoint == "" {
			return stop(errors.New("moto_server ended without saying where it listens"))
		}
	case <-deadline.C:
		return stop(errors.New("moto_server did not say where it listens within 30 s"))
	}
	for {
		resp, err := http.Get(endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return cmd, endpoint, nil
		}
		select {
		case <-deadline.C:
			return stop(fmt.Errorf("moto_server did not answer on %s: %w", endpoint, err))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// readAnnouncement sends the URL of moto_server's "Running on" line to
// announced ("" when the server's output ends without one), and reads
// the rest of its output (a line per request) until the server ends.
func readAnnouncement(r *os.File, announced chan<- string) {
	defer r.Close()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "Running on "); ok && len(strings.Fields(rest)) > 0 {
			announced <- strings.Fields(rest)[0] // a version may add "(Press CTRL+C to quit)"
			_, _ = io.Copy(io.Discard, r)
			return
		}
	}
	announced <- ""
}

// Config returns an AWS SDK configuration for the emulator at endpoint.
func Config(endpoint string) aws.Config {
	return aws.Config{
		Region: Region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
		BaseEndpoint: aws.String(endpoint),
	}
}
