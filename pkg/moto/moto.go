// Package moto starts moto_server, the AWS emulator (SQS, SNS, DynamoDB), for
// tests that need real AWS APIs. Each call starts its own server on a free
// loopback port and stops it when the test ends.
package moto

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
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
	port := freePort(t)
	cmd, endpoint, err := Run(bin, fmt.Sprintf("127.0.0.1:%d", port), env...)
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
// and waits until it answers. The caller stops it.
func Run(bin, addr string, env ...string) (*exec.Cmd, string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, "-H", host, "-p", port)
	cmd.Env = append(append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION="+Region), env...)
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start moto_server: %w", err)
	}
	endpoint := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return cmd, endpoint, nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return nil, "", fmt.Errorf("moto_server did not answer on %s: %w", endpoint, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
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

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
