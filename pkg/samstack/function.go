package samstack

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// Function is a Lambda function of the stack as created.
type Function struct {
	LogicalID string
	Name, ARN string
	Timeout   time.Duration
	MemoryMB  int
	// Env is the function's Environment.Variables.
	Env map[string]string
	// RoleARN and RoleName name its execution role.
	RoleARN, RoleName string
	// Policies are the role's policy documents (JSON) by name: inline
	// ones by their name, managed ones by their ARN.
	Policies map[string]string
	// EventSources are its SQS event source mappings (taken out of the
	// stack; the caller plays them).
	EventSources []EventSource
}

// EventSource is an SQS event source mapping.
type EventSource struct {
	LogicalID               string
	QueueARN, QueueURL      string
	BatchSize               int
	ReportBatchItemFailures bool
	MaximumConcurrency      int
}

func (s *Stack) readFunctions(ctx context.Context, pruned map[string]cfnResource) error {
	lc, ic := s.lambdaClient(), iam.NewFromConfig(s.cfg.AWS)
	for _, id := range sortedKeys(s.Resources) {
		r := s.Resources[id]
		if r.Type != "AWS::Lambda::Function" {
			continue
		}
		out, err := lc.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(r.Physical)})
		if err != nil {
			return fmt.Errorf("get function %s: %w", id, err)
		}
		c := out.Configuration
		fn := &Function{LogicalID: id, Name: aws.ToString(c.FunctionName), ARN: aws.ToString(c.FunctionArn),
			Timeout: time.Duration(aws.ToInt32(c.Timeout)) * time.Second, MemoryMB: int(aws.ToInt32(c.MemorySize)),
			Env: map[string]string{}, RoleARN: aws.ToString(c.Role), Policies: map[string]string{}}
		if c.Environment != nil {
			fn.Env = c.Environment.Variables
		}
		fn.RoleName = fn.RoleARN[strings.LastIndex(fn.RoleARN, "/")+1:]
		if err := s.readPolicies(ctx, ic, fn); err != nil {
			return err
		}
		s.Functions[id] = fn
	}
	for id, p := range ofType(pruned, "AWS::Lambda::EventSourceMapping") {
		name, err := s.r.eval(p.Properties["FunctionName"])
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		var fn *Function
		for _, f := range s.Functions {
			if f.Name == name || f.ARN == name {
				fn = f
			}
		}
		if fn == nil {
			return fmt.Errorf("%s: function %s not in the stack", id, name)
		}
		arn, err := s.r.eval(p.Properties["EventSourceArn"])
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		if !strings.HasPrefix(arn, "arn:aws:sqs:") {
			continue
		}
		parts := strings.Split(arn, ":")
		src := EventSource{LogicalID: id, QueueARN: arn, BatchSize: 10,
			QueueURL: "https://sqs." + parts[3] + ".amazonaws.com/" + parts[4] + "/" + parts[5]}
		if b, ok := p.Properties["BatchSize"].(float64); ok {
			src.BatchSize = int(b)
		}
		if types, ok := p.Properties["FunctionResponseTypes"].([]any); ok {
			for _, t := range types {
				if t == "ReportBatchItemFailures" {
					src.ReportBatchItemFailures = true
				}
			}
		}
		if sc, ok := p.Properties["ScalingConfig"].(map[string]any); ok {
			if m, ok := sc["MaximumConcurrency"].(float64); ok {
				src.MaximumConcurrency = int(m)
			}
		}
		fn.EventSources = append(fn.EventSources, src)
	}
	return nil
}

func (s *Stack) readPolicies(ctx context.Context, ic *iam.Client, fn *Function) error {
	inline, err := ic.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(fn.RoleName)})
	if err != nil {
		return fmt.Errorf("role %s policies: %w", fn.RoleName, err)
	}
	for _, name := range inline.PolicyNames {
		p, err := ic.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(fn.RoleName), PolicyName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("role %s policy %s: %w", fn.RoleName, name, err)
		}
		doc := unescape(aws.ToString(p.PolicyDocument))
		for placeholder, physical := range s.byHand {
			doc = strings.ReplaceAll(doc, `"`+placeholder+`"`, `"`+physical+`"`)
		}
		fn.Policies[name] = doc
	}
	attached, err := ic.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(fn.RoleName)})
	if err != nil {
		return fmt.Errorf("role %s attached policies: %w", fn.RoleName, err)
	}
	for _, a := range attached.AttachedPolicies {
		p, err := ic.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: a.PolicyArn})
		if err != nil {
			return fmt.Errorf("policy %s: %w", aws.ToString(a.PolicyArn), err)
		}
		v, err := ic.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: a.PolicyArn,
			VersionId: p.Policy.DefaultVersionId})
		if err != nil {
			return fmt.Errorf("policy %s: %w", aws.ToString(a.PolicyArn), err)
		}
		fn.Policies[aws.ToString(a.PolicyArn)] = unescape(aws.ToString(v.PolicyVersion.Document))
	}
	return nil
}
