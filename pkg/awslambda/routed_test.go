package awslambda

import (
	"context"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/heraldhq/herald/pkg/consume"
)

func TestIsQueue(t *testing.T) {
	t.Parallel()
	const url = "awssqs://sqs.eu-west-1.amazonaws.com/123456789012/herald-own-events?region=eu-west-1"
	for arn, want := range map[string]bool{
		"arn:aws:sqs:eu-west-1:123456789012:herald-own-events":   true,
		"arn:aws:sqs:eu-west-1:123456789012:herald-ingest":       false,
		"arn:aws:sqs:eu-west-1:999999999999:herald-own-events":   false, // another account's queue of that name
		"arn:aws:sns:eu-west-1:123456789012:herald-own-events":   false,
		"arn:aws:sqs:eu-west-1:123456789012:herald-own-events:x": false,
		"": false,
	} {
		if got := IsQueue(arn, url); got != want {
			t.Errorf("IsQueue(%q) = %v, want %v", arn, got, want)
		}
	}
	if IsQueue("arn:aws:sqs:eu-west-1:123456789012:herald-own-events", "awssns:///arn:aws:sns:eu-west-1:123456789012:herald-own-events") {
		t.Error("an SNS URL names no queue")
	}
}

// TestSQSRoutedPicksTheHandlerByQueue: each record of a batch goes to the
// handler of the queue it came from.
func TestSQSRoutedPicksTheHandlerByQueue(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	got := map[string]string{}
	handler := func(name string) func(context.Context, []byte) error {
		return func(_ context.Context, body []byte) error {
			mu.Lock()
			defer mu.Unlock()
			got[string(body)] = name
			return nil
		}
	}
	route := func(arn string) consume.Handler {
		if arn == "arn:aws:sqs:r:1:own" {
			return handler("own")
		}
		return handler("upstream")
	}
	fn := SQSRouted(route, Config{})
	resp, err := fn(context.Background(), events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "1", Body: "a", EventSourceARN: "arn:aws:sqs:r:1:own"},
		{MessageId: "2", Body: "b", EventSourceARN: "arn:aws:sqs:r:1:ingest"},
	}})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("resp %+v, err %v", resp, err)
	}
	if got["a"] != "own" || got["b"] != "upstream" {
		t.Fatalf("routed %v", got)
	}
}
