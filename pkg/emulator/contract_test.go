package emulator_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	_ "gocloud.dev/docstore/awsdynamodb/v2"
	_ "gocloud.dev/pubsub/awssnssqs"
	_ "gocloud.dev/secrets/awskms"

	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/contract"
	"github.com/heraldhq/herald/pkg/emulator"
	"github.com/heraldhq/herald/pkg/local/localtest"
	"github.com/heraldhq/herald/pkg/moto"
	"github.com/heraldhq/herald/pkg/retry"
)

func TestMain(m *testing.M) {
	// The gocloud URL openers take credentials from the environment.
	os.Setenv("AWS_ACCESS_KEY_ID", "test")
	os.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	os.Setenv("AWS_REGION", moto.Region)
	code := m.Run()
	removeBootstraps()
	os.Exit(code)
}

var systems atomic.Int64

// TestContractEmulator runs the contract suite against SQS, SNS and DynamoDB
// on moto_server: the template's resources, created from template.yaml, and
// the five functions on gocloud's AWS drivers. Events published by the
// suite's plain publisher go to the SNS ingest topic through the AWS SDK.
func TestContractEmulator(t *testing.T) {
	endpoint := moto.Start(t)
	awsCfg := moto.Config(endpoint)
	contract.Run(t, func(t *testing.T, s contract.Settings) *contract.System {
		prefix := fmt.Sprintf("t%d-", systems.Add(1))
		created := createStack(t, awsCfg, prefix)
		env := created.Env(endpoint, moto.Region)
		env["HERALD_ADDR"] = "127.0.0.1:0"
		env["HERALD_ADMIN_TOKEN"] = "test-token"
		env["HERALD_ALLOW_PRIVATE_TARGETS"] = "true"
		cfg, err := config.FromEnv(func(k string) string { return env[k] }, config.Deployed)
		if err != nil {
			t.Fatal(err)
		}
		cfg.RetrySchedule = retry.Schedule(s.RetrySchedule)
		cfg.HeaderPrefix = s.HeaderPrefix
		cfg.LogLevel = "debug"
		sys, err := localtest.StartConfig(t, cfg, localtest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		publisher := sns.NewFromConfig(awsCfg)
		return &contract.System{
			BaseURL: sys.URL,
			Token:   cfg.AdminToken,
			Publish: func(ctx context.Context, body []byte) error {
				_, err := publisher.Publish(ctx, &sns.PublishInput{TopicArn: aws.String(created.TopicARN["IngestTopic"]),
					Message: aws.String(string(body))})
				return err
			},
			IngestCounts: func() (int64, int64) {
				return sys.IngestStats.Done.Load(), sys.IngestStats.Malformed.Load()
			},
		}
	})
}

// createStack creates the template's resources on the emulator under prefix.
// A message moto loses between a long poll and its answer (seen once under a
// loaded CI run: sent, never received) reappears after the visibility
// timeout; the queues get a short one here, so a test waits seconds for it,
// not the template's three minutes.
func createStack(t *testing.T, awsCfg aws.Config, prefix string) *emulator.Created {
	t.Helper()
	ctx := context.Background()
	created, err := emulator.Create(ctx, awsCfg, "../../template.yaml", prefix)
	if err != nil {
		t.Fatal(err)
	}
	queues := sqs.NewFromConfig(awsCfg)
	for _, u := range created.QueueURL {
		if _, err := queues.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: aws.String(u),
			Attributes: map[string]string{"VisibilityTimeout": "5"}}); err != nil {
			t.Fatal(err)
		}
	}
	return created
}
