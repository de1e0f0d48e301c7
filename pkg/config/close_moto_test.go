package config_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/awssnssqs"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/moto"
)

// TestCloseTakesAnAckOfAGoneMessageAsDone: an acknowledgement is a delete
// of the message; one for a message no longer in the queue has nothing
// left to do. A stale receipt handle of a message received again and
// deleted by its latest receiver is accepted by SQS (and by moto); one of a
// message the queue no longer holds otherwise (purged here; lost by moto
// under load, seen in CI) is answered ReceiptHandleIsInvalid, which gocloud
// reports from the subscription's Shutdown: Close does not fail for it.
// An acknowledgement the queue refuses for another reason (the queue is
// gone) still fails Close.
func TestCloseTakesAnAckOfAGoneMessageAsDone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := sqs.NewFromConfig(moto.Config(moto.Start(t)))
	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("deliver"),
		Attributes: map[string]string{"VisibilityTimeout": "0"}})
	if err != nil {
		t.Fatal(err)
	}
	url := aws.ToString(q.QueueUrl)
	send := func() {
		t.Helper()
		if _, err := client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("job")}); err != nil {
			t.Fatal(err)
		}
	}
	receive := func() (*pubsub.Subscription, *pubsub.Message) {
		t.Helper()
		sub := awssnssqs.OpenSubscriptionV2(ctx, client, url, nil)
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return sub, m
	}
	closeAfter := func(sub *pubsub.Subscription, m *pubsub.Message) error {
		m.Ack()
		return (&config.Resources{DeliverSub: sub}).Close(ctx)
	}

	// Received twice (a visibility timeout of 0 s), deleted by the latest.
	send()
	first, stale := receive()
	second, latest := receive()
	if err := closeAfter(second, latest); err != nil {
		t.Errorf("Close after the latest receiver's acknowledgement: %v", err)
	}
	if err := closeAfter(first, stale); err != nil {
		t.Errorf("Close after a stale acknowledgement: %v", err)
	}

	// Gone from the queue otherwise.
	send()
	sub, m := receive()
	if _, err := client.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: q.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	if err := closeAfter(sub, m); err != nil {
		t.Errorf("Close after acknowledging a message the queue no longer holds: %v", err)
	}

	// The queue gone.
	send()
	sub, m = receive()
	if _, err := client.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: q.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	if err := closeAfter(sub, m); err == nil {
		t.Error("Close reported no error for an acknowledgement to a deleted queue")
	}
}
