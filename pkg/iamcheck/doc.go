// Package iamcheck is a checking proxy in front of an AWS emulator: every
// request signed with a granted principal's access key is evaluated against
// that principal's IAM policy statements before it is forwarded, and refused
// with AccessDenied, naming the action and the resource, when no statement
// allows it. Requests signed with any other key (the test's own set-up) pass
// unchecked. Every checked call is counted by principal and action.
//
// Why a proxy and not moto's own enforcement (INITIAL_NO_AUTH_ACTION_COUNT):
// moto 5 evaluates a request's action against the caller's policies, but for
// most services it checks the resource "*", not the resource of the request;
// only SQS (and S3) name the resource. Tried against a role allowed
// dynamodb:* on table A only: moto refuses UpdateItem on A (the policy's
// resource arn:…:table/A does not match "*") as it refuses it on table B, and
// refuses DescribeTable everywhere; SQS SendMessage is allowed on the named
// queue and refused on another. So moto would refuse every call of a
// least-privilege DynamoDB, SNS or KMS policy — it can only tell "*" policies
// from none. The proxy reads the resource of each request itself.
//
// What it evaluates: identity-based policy statements (inline and managed
// policies of the role), Allow and Deny, Action/NotAction and
// Resource/NotResource with the * and ? wildcards (actions
// case-insensitively), an explicit Deny winning. A statement with a
// Condition is not evaluated: it allows nothing (and denies nothing), so a
// policy that relies on a condition fails here rather than passing unseen.
// Resource policies, permission boundaries and SCPs are out of scope; the
// SigV4 signature is not verified (the access key identifies the principal).
//
// How a request maps to action and resources: the service is the SigV4
// credential scope's; the action is the X-Amz-Target operation (JSON
// protocols: DynamoDB, SQS, KMS, Secrets Manager) or the Action form field
// (query protocols: SNS, STS, SQS's older one); SQS's and SNS's batch
// operations are authorized as the single one (SendMessageBatch needs
// sqs:SendMessage, PublishBatch sns:Publish), as IAM does. The resources come from the
// request: DynamoDB TableName (with IndexName, table/T/index/I), the tables of
// RequestItems and TransactItems (a transaction is checked as its items'
// actions); SQS QueueUrl or QueueName; SNS TopicArn or TargetArn; KMS KeyId, or
// for Decrypt without one the key in the ciphertext (moto's blob starts with
// the key id); Secrets Manager SecretId; STS RoleArn. Names that need the
// account's state to become ARNs (a secret's name, a KMS alias) are looked up
// in Config.Names; otherwise the resource is "*".
package iamcheck
