// Package samstack creates Herald's SAM template as a CloudFormation stack on
// moto_server and reads back what each function runs with: its environment,
// its execution role's policies, and credentials of that role.
//
// The template is translated with aws-sam-translator (the library `sam
// deploy` and cfn-lint use; scripts/samtranslate/translate.py), so the roles
// and environments are the ones a real deploy creates. What moto cannot
// create, or would act on by itself, is taken out first (Function URLs, event
// source mappings, schedules, alarms, SNS subscriptions, queue policies: see
// the script); of those, what matters to the functions is then done by hand:
// each SNS subscription is made, and each role gets the managed policies its
// ManagedPolicyArns names (moto's CloudFormation ignores them; moto_server
// must run with MOTO_IAM_LOAD_MANAGED_POLICIES=true to know AWS's). The
// event source mappings taken out are returned for the caller to play (see
// lambdart.PollSQS).
package samstack
