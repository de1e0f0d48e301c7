// Command fakefn is a Lambda function for lambdart's tests, on the real
// aws-lambda-go runtime client; FAKE_MODE picks what it does.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-lambda-go/lambdaurl"
)

type failingReader struct{ sent bool }

func (r *failingReader) Read(p []byte) (int, error) {
	if !r.sent {
		r.sent = true
		return copy(p, "partial"), nil
	}
	return 0, errors.New("stream broke")
}

func main() {
	switch os.Getenv("FAKE_MODE") {
	case "echo":
		lambda.Start(func(ctx context.Context, in json.RawMessage) (map[string]any, error) {
			lc, _ := lambdacontext.FromContext(ctx)
			deadline, _ := ctx.Deadline()
			return map[string]any{
				"in":            in,
				"request_id":    lc.AwsRequestID,
				"arn":           lc.InvokedFunctionArn,
				"deadline_in_s": int(time.Until(deadline).Round(time.Second).Seconds()),
				"name":          os.Getenv("AWS_LAMBDA_FUNCTION_NAME"),
				"own":           os.Getenv("OWN"),
				"home":          os.Getenv("HOME"),
			}, nil
		})
	case "fail":
		lambda.Start(func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			return nil, errors.New("boom")
		})
	case "url":
		lambdaurl.Start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			w.Header().Set("X-Test", "yes")
			http.SetCookie(w, &http.Cookie{Name: "c", Value: "1"})
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, "%s %s?%s auth=%s body=%s", r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), body)
		}))
	case "stream-error":
		lambda.Start(func(ctx context.Context, in json.RawMessage) (io.Reader, error) {
			return &failingReader{}, nil
		})
	case "sqs":
		lambda.Start(func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
			var out events.SQSEventResponse
			for _, m := range ev.Records {
				if strings.HasPrefix(m.Body, "bad") {
					out.BatchItemFailures = append(out.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
				}
			}
			return out, nil
		})
	default:
		fmt.Fprintln(os.Stderr, "fakefn: dying at init")
		os.Exit(3)
	}
}
