package awslambda_test

import (
	"bytes"
	"context"
	"maps"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/awssnssqs"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/herald/heraldtest"
	"github.com/heraldhq/herald/pkg/moto"
)

// TestDecodeRecordRoundTripThroughSQS publishes through a gocloud SQS topic
// on moto, receives the raw SQS messages as Lambda would, and checks that
// DecodeRecord gives back exactly what was published: UTF-8 and binary
// bodies, and metadata with characters gocloud escapes.
func TestDecodeRecordRoundTripThroughSQS(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := sqs.NewFromConfig(moto.Config(moto.Start(t)))
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("roundtrip")})
	if err != nil {
		t.Fatal(err)
	}
	topic := awssnssqs.OpenSQSTopicV2(ctx, client, aws.ToString(q.QueueUrl), nil)
	defer topic.Shutdown(ctx)

	sent := []*pubsub.Message{
		{Body: []byte(`{"event_type":"secret.rotated","data":{"path":"ünïcödé"}}`),
			Metadata: map[string]string{"trace": "a b/c?d=é", "key.with:colon": "v", "__0xlooks": "escaped"}},
		{Body: []byte{0xff, 0xfe, 0x00, 'x'}}, // not UTF-8: gocloud base64-encodes it
		{Body: []byte(`{"delivery_id":1,"attempt":2}`)},
	}
	for _, m := range sent {
		if err := topic.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	var got []events.SQSMessage
	heraldtest.Poll(10*time.Second, func() bool {
		out, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl,
			MaxNumberOfMessages: 10, MessageAttributeNames: []string{"All"}, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.Messages {
			r := events.SQSMessage{MessageId: aws.ToString(m.MessageId), Body: aws.ToString(m.Body),
				MessageAttributes: map[string]events.SQSMessageAttribute{}}
			for k, v := range m.MessageAttributes {
				r.MessageAttributes[k] = events.SQSMessageAttribute{StringValue: v.StringValue, DataType: aws.ToString(v.DataType)}
			}
			got = append(got, r)
		}
		return len(got) >= len(sent)
	})
	if len(got) != len(sent) {
		t.Fatalf("received %d messages, want %d", len(got), len(sent))
	}
	for _, want := range sent {
		found := false
		for _, r := range got {
			body, md := awslambda.DecodeRecord(r)
			if bytes.Equal(body, want.Body) {
				found = true
				if len(want.Metadata) > 0 && !maps.Equal(md, want.Metadata) {
					t.Errorf("metadata = %v, want %v", md, want.Metadata)
				}
			}
		}
		if !found {
			t.Errorf("no record decodes to %q", want.Body)
		}
	}
}
