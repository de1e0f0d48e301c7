// Package lambdart runs a real Lambda bootstrap binary on this machine: it
// serves the AWS Lambda Runtime API (next invocation, response, error, init
// error) on a loopback port, starts the bootstrap with AWS_LAMBDA_RUNTIME_API
// pointing at it and the environment Lambda would give it, and hands it one
// event at a time, as Lambda does.
//
// Responses are read the way Lambda reads them: a buffered JSON payload, an
// error document, or a streamed Function URL response (aws-lambda-go's
// lambdaurl: content type application/vnd.awslambda.http-integration-response,
// a JSON prelude with the status and headers, eight NUL bytes, then the body;
// an error part way through arrives as the Lambda-Runtime-Function-Error-*
// trailers). PollSQS plays an SQS event source mapping: it receives a batch
// with the function's credentials, invokes the function, and deletes the
// messages the answer does not report as failed.
//
// It is test and tooling code: tests run the five Herald bootstraps through
// it under their IAM roles, and `make invoke` runs one bootstrap once.
package lambdart
