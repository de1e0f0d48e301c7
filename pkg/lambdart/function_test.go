package lambdart_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/lambdart"
	"github.com/heraldhq/herald/pkg/moto"
)

var fakefn string // the test function's binary, built by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lambdart-")
	if err != nil {
		panic(err)
	}
	fakefn = filepath.Join(dir, "fakefn")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", fakefn, "./testdata/fakefn")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func start(t *testing.T, mode string, env map[string]string) *lambdart.Function {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	env["FAKE_MODE"] = mode
	f, err := lambdart.Start(lambdart.Config{Bootstrap: fakefn, Name: "fake", Timeout: 9 * time.Second, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func invoke(t *testing.T, f *lambdart.Function, payload string) *lambdart.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := f.Invoke(ctx, []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRealRuntimeClientEchoes(t *testing.T) {
	t.Setenv("HOME", "/should/not/leak")
	f := start(t, "echo", map[string]string{"OWN": "mine"})
	for i := range 2 { // the same process serves the second invocation
		res := invoke(t, f, `{"n":1}`)
		var out struct {
			In          json.RawMessage `json:"in"`
			RequestID   string          `json:"request_id"`
			ARN         string          `json:"arn"`
			DeadlineInS int             `json:"deadline_in_s"`
			Name, Own   string
			Home        string
		}
		if res.Error != nil || json.Unmarshal(res.Payload, &out) != nil {
			t.Fatalf("invocation %d: %+v %s", i, res.Error, res.Payload)
		}
		if string(out.In) != `{"n":1}` || out.RequestID != res.RequestID || out.DeadlineInS != 9 || out.Name != "fake" ||
			out.Own != "mine" || out.Home != "" || !strings.HasSuffix(out.ARN, ":function:fake") {
			t.Fatalf("invocation %d: %s", i, res.Payload)
		}
	}
	if f.InitDuration() <= 0 {
		t.Error("no init duration after the first poll")
	}
}

func TestHandlerErrorIsReported(t *testing.T) {
	res := invoke(t, start(t, "fail", nil), `{}`)
	if res.Error == nil || res.Error.Message != "boom" {
		t.Fatalf("result %+v", res)
	}
}

func TestStreamErrorArrivesInTrailers(t *testing.T) {
	res := invoke(t, start(t, "stream-error", nil), `{}`)
	if res.Error == nil || !strings.Contains(res.Error.Message, "stream broke") {
		t.Fatalf("result %+v (error %v), payload %q", res, res.Error, res.Payload)
	}
}

func TestExitedProcessFailsInvoke(t *testing.T) {
	f := start(t, "exit", nil)
	_, err := f.Invoke(context.Background(), []byte(`{}`))
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "dying at init") {
		t.Fatalf("invoke of an exited function: %v", err)
	}
}

func TestFunctionURLStreamsThroughTheFrontDoor(t *testing.T) {
	door := httptest.NewServer(lambdart.FunctionURL(start(t, "url", nil)))
	defer door.Close()
	req, _ := http.NewRequest("POST", door.URL+"/api/x?a=1", strings.NewReader(`{"k":"v"}`))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Test") != "yes" || resp.Header.Get("Set-Cookie") != "c=1" ||
		string(body) != `POST /api/x?a=1 auth=Bearer tok body={"k":"v"}` {
		t.Fatalf("%d %v %q", resp.StatusCode, resp.Header, body)
	}
}

// TestPollSQSDeletesAllButTheReportedFailures plays the event source mapping
// on moto: the message the function reports failed stays on the queue, the
// others are deleted.
func TestPollSQSDeletesAllButTheReportedFailures(t *testing.T) {
	cfg := moto.Config(moto.Start(t))
	ctx := context.Background()
	client := sqs.NewFromConfig(cfg)
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("poll"),
		Attributes: map[string]string{"VisibilityTimeout": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"good 1", "bad 2", "good 3"} {
		if _, err := client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String(body),
			MessageAttributes: map[string]sqstypes.MessageAttributeValue{"k": {DataType: aws.String("String"), StringValue: aws.String("v")}}}); err != nil {
			t.Fatal(err)
		}
	}
	src := lambdart.EventSource{QueueURL: aws.ToString(q.QueueUrl), QueueARN: "arn:aws:sqs:us-east-1:123456789012:poll",
		BatchSize: 10, ReportBatchItemFailures: true}
	f := start(t, "sqs", nil)
	b, err := lambdart.PollSQS(ctx, f, client, src)
	if err != nil {
		t.Fatal(err)
	}
	// SQS delivers at least once: on a loaded machine moto can hand out a
	// message twice (an SDK retry of a send it answered slowly), so the
	// batch is checked by body, not by count.
	if b.Received < 3 || len(b.Failed) == 0 || len(b.Failed) == b.Received {
		t.Fatalf("batch: received %d, failed %v; answer %s", b.Received, b.Failed, b.Result.Payload)
	}
	// After the visibility timeout only the failed one is back.
	var left []string
	heraldtest.Poll(10*time.Second, func() bool {
		out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			left = append(left, aws.ToString(m.Body))
		}
		return len(left) > 0
	})
	if len(left) == 0 {
		t.Fatal("the reported failure is not back on the queue")
	}
	for _, body := range left {
		if body != "bad 2" {
			t.Fatalf("left on the queue: %q, want only the reported failure", left)
		}
	}
}

func TestSQSEventCarriesTheRecordFields(t *testing.T) {
	ev := lambdart.SQSEvent("arn:q", "eu-west-1", []sqstypes.Message{{MessageId: aws.String("m1"), ReceiptHandle: aws.String("r1"),
		Body: aws.String("b"), Attributes: map[string]string{"ApproximateReceiveCount": "1"}}})
	r := ev.Records[0]
	if r.MessageId != "m1" || r.ReceiptHandle != "r1" || r.Body != "b" || r.EventSource != "aws:sqs" ||
		r.EventSourceARN != "arn:q" || r.AWSRegion != "eu-west-1" || r.Attributes["ApproximateReceiveCount"] != "1" {
		t.Fatalf("%+v", r)
	}
}

func TestPeakRSSIsReadWhileRunning(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is read from /proc")
	}
	f := start(t, "echo", nil)
	invoke(t, f, `{}`)
	kib, err := f.PeakRSS()
	if err != nil {
		t.Fatal(err)
	}
	// A Go binary on aws-lambda-go holds a few MiB; far less than 1 GiB.
	if kib < 1024 || kib > 1<<20 {
		t.Fatalf("peak RSS %d KiB", kib)
	}
	_ = f.Close()
	if _, err := f.PeakRSS(); err == nil {
		t.Fatal("peak RSS of an exited process: no error")
	}
}
