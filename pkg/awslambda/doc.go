// Package awslambda holds the Lambda adapters of Herald's functions: SQS
// batch handlers with partial batch failures for ingest and deliver,
// EventBridge schedule handlers for the retry-scheduler and expiry-notifier,
// and (through aws-lambda-go's lambdaurl) the admin API behind a Function URL.
// Each adapter wraps the same domain handler the long-running adapters use.
package awslambda

import "os"

// OnLambda reports whether the process runs inside AWS Lambda (or its
// runtime interface emulator), where the runtime API address is set.
func OnLambda() bool { return os.Getenv("AWS_LAMBDA_RUNTIME_API") != "" }
