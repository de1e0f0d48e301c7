package samstack

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Config says what to create.
type Config struct {
	// AWS is the configuration of the emulator's administrator (it creates
	// the stack and assumes the roles). Required.
	AWS aws.Config
	// Template is the path of template.yaml. Required.
	Template string
	// Translator is the path of scripts/samtranslate/translate.py. Required.
	Translator string
	// Python runs the translator. Defaults to "python3".
	Python string
	// StackName defaults to "herald".
	StackName string
	// Parameters are the stack's parameter values. Those the template does
	// not declare are left out (see Stack.Ignored).
	Parameters map[string]string
	// Account is the emulator's account id. Defaults to moto's,
	// "123456789012".
	Account string
}

// Stack is a created stack.
type Stack struct {
	Name    string
	Region  string
	Account string
	// Resources are the created resources by logical id.
	Resources map[string]Resource
	// Functions are the stack's Lambda functions by logical id.
	Functions map[string]*Function
	// Pruned are the resources the translator took out, by logical id.
	Pruned map[string]string
	// Ignored are the parameters given that the template does not declare.
	Ignored []string

	cfg Config
	r   *resolver
	// byHand maps the placeholder of a pruned resource made by hand
	// ("pruned:<LogicalId>", as the translator left it in policies) to what
	// its Ref gives.
	byHand map[string]string
}

// Resource is one created resource.
type Resource struct {
	Type     string
	Physical string // what Ref gives
}

// Create translates the template, creates the stack on the emulator and
// waits for it, makes the SNS subscriptions and attaches the managed
// policies moto skipped, and reads each function's configuration and role.
func Create(ctx context.Context, c Config) (*Stack, error) {
	if c.Python == "" {
		c.Python = "python3"
	}
	if c.StackName == "" {
		c.StackName = "herald"
	}
	if c.Account == "" {
		c.Account = "123456789012"
	}
	t, ignored, err := translate(ctx, c.Python, c.Translator, c.Template, c.Parameters)
	if err != nil {
		return nil, err
	}
	s := &Stack{Name: c.StackName, Region: c.AWS.Region, Account: c.Account, Resources: map[string]Resource{},
		Functions: map[string]*Function{}, Pruned: map[string]string{}, Ignored: ignored, cfg: c,
		byHand: map[string]string{}}
	body, err := json.Marshal(t.Template)
	if err != nil {
		return nil, err
	}
	declared, _ := t.Template["Parameters"].(map[string]any)
	var params []cfntypes.Parameter
	resolved := map[string]string{}
	for k, v := range c.Parameters {
		if _, ok := declared[k]; ok {
			params = append(params, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
			resolved[k] = v
		}
	}
	for k, d := range declared {
		if _, ok := resolved[k]; !ok {
			if m, ok := d.(map[string]any); ok && m["Default"] != nil {
				resolved[k] = fmt.Sprint(m["Default"])
			}
		}
	}
	cf := cloudformation.NewFromConfig(c.AWS)
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(c.StackName),
		TemplateBody: aws.String(string(body)), Parameters: params,
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam,
			cfntypes.CapabilityCapabilityAutoExpand}}); err != nil {
		return nil, fmt.Errorf("create stack: %w", err)
	}
	if err := waitCreated(ctx, cf, c.StackName); err != nil {
		return nil, err
	}
	out, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(c.StackName)})
	if err != nil {
		return nil, fmt.Errorf("stack resources: %w", err)
	}
	for _, r := range out.StackResources {
		s.Resources[aws.ToString(r.LogicalResourceId)] = Resource{Type: aws.ToString(r.ResourceType),
			Physical: aws.ToString(r.PhysicalResourceId)}
	}
	s.r = &resolver{region: s.Region, account: s.Account, stack: s.Name, resources: map[string]resource{}, params: resolved}
	for id, r := range s.Resources {
		s.r.resources[id] = resource(r)
	}
	for id, p := range t.Pruned {
		s.Pruned[id] = p.Type
	}
	if err := s.subscribe(ctx, t.Pruned); err != nil {
		return nil, err
	}
	if err := s.attachManaged(ctx, t.ManagedPolicyArns); err != nil {
		return nil, err
	}
	if err := s.createSecrets(ctx, t.Pruned); err != nil {
		return nil, err
	}
	if err := s.readFunctions(ctx, t.Pruned); err != nil {
		return nil, err
	}
	return s, nil
}

func waitCreated(ctx context.Context, cf *cloudformation.Client, name string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		out, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		if err != nil {
			return fmt.Errorf("describe stack: %w", err)
		}
		st := out.Stacks[0]
		switch st.StackStatus {
		case cfntypes.StackStatusCreateComplete:
			return nil
		case cfntypes.StackStatusCreateInProgress:
		default:
			return fmt.Errorf("stack %s: %s: %s", name, st.StackStatus, aws.ToString(st.StackStatusReason))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("stack %s: still %s after 2 minutes", name, st.StackStatus)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// subscribe makes the SNS subscriptions moto's CloudFormation skips.
func (s *Stack) subscribe(ctx context.Context, pruned map[string]cfnResource) error {
	client := sns.NewFromConfig(s.cfg.AWS)
	for id, p := range ofType(pruned, "AWS::SNS::Subscription") {
		in := &sns.SubscribeInput{Attributes: map[string]string{}}
		for k, v := range p.Properties {
			val, err := s.r.eval(v)
			if err != nil {
				// A filter policy is an object: pass it as JSON.
				b, jerr := json.Marshal(v)
				if jerr != nil {
					return fmt.Errorf("%s.%s: %w", id, k, err)
				}
				val = string(b)
			}
			switch k {
			case "TopicArn":
				in.TopicArn = aws.String(val)
			case "Protocol":
				in.Protocol = aws.String(val)
			case "Endpoint":
				in.Endpoint = aws.String(val)
			case "Region":
			default:
				in.Attributes[k] = val
			}
		}
		if _, err := client.Subscribe(ctx, in); err != nil {
			return fmt.Errorf("subscribe %s: %w", id, err)
		}
	}
	return nil
}

// createSecrets makes the Secrets Manager secrets moto's CloudFormation
// skips, by name, with a generated value where GenerateSecretString asks for
// one, and records their ARNs for the policies that name them.
func (s *Stack) createSecrets(ctx context.Context, pruned map[string]cfnResource) error {
	client := secretsmanager.NewFromConfig(s.cfg.AWS)
	for id, p := range ofType(pruned, "AWS::SecretsManager::Secret") {
		name, err := s.r.eval(p.Properties["Name"])
		if err != nil {
			return fmt.Errorf("%s.Name: %w", id, err)
		}
		value := rand.Text() + rand.Text() // 52 characters, as a generated password
		if v, ok := p.Properties["SecretString"]; ok {
			if value, err = s.r.eval(v); err != nil {
				return fmt.Errorf("%s.SecretString: %w", id, err)
			}
		}
		out, err := client.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(name),
			SecretString: aws.String(value)})
		if err != nil {
			return fmt.Errorf("create secret %s: %w", id, err)
		}
		arn := aws.ToString(out.ARN)
		s.Resources[id] = Resource{Type: p.Type, Physical: arn}
		s.r.resources[id] = resource{Type: p.Type, Physical: arn}
		s.byHand["pruned:"+id] = arn
	}
	return nil
}

// attachManaged attaches each role's managed policies.
func (s *Stack) attachManaged(ctx context.Context, managed map[string][]any) error {
	client := iam.NewFromConfig(s.cfg.AWS)
	for _, id := range sortedKeys(managed) {
		role, ok := s.Resources[id]
		if !ok {
			continue
		}
		for _, a := range managed[id] {
			arn, err := s.r.eval(a)
			if err != nil {
				return fmt.Errorf("%s ManagedPolicyArns: %w", id, err)
			}
			if _, err := client.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(role.Physical),
				PolicyArn: aws.String(arn)}); err != nil {
				return fmt.Errorf("attach %s to %s (moto_server needs MOTO_IAM_LOAD_MANAGED_POLICIES=true for AWS's): %w",
					arn, id, err)
			}
		}
	}
	return nil
}

// Names maps names that are not ARNs to the ARNs of the stack's resources
// they name, by service (for iamcheck.Scope.Names): secrets by name, KMS
// aliases.
func (s *Stack) Names() map[string]map[string]string {
	out := map[string]map[string]string{"secretsmanager": {}, "kms": {}}
	for _, r := range s.Resources {
		switch r.Type {
		case "AWS::SecretsManager::Secret":
			_, rest, ok := strings.Cut(r.Physical, ":secret:")
			if i := strings.LastIndex(rest, "-"); ok && i > 0 {
				out["secretsmanager"][rest[:i]] = r.Physical
			}
		case "AWS::KMS::Alias":
			out["kms"][r.Physical] = "arn:aws:kms:" + s.Region + ":" + s.Account + ":" + r.Physical
		}
	}
	return out
}

// Credentials assumes fn's role as session and returns the credentials and
// the session's ARN.
func (s *Stack) Credentials(ctx context.Context, fn *Function, session string) (aws.Credentials, string, error) {
	out, err := sts.NewFromConfig(s.cfg.AWS).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(fn.RoleARN),
		RoleSessionName: aws.String(session)})
	if err != nil {
		return aws.Credentials{}, "", fmt.Errorf("assume %s: %w", fn.RoleARN, err)
	}
	c := out.Credentials
	return aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken), Source: "samstack"}, aws.ToString(out.AssumedRoleUser.Arn), nil
}

// ofType yields, in id order, the resources of pruned of type typ.
func ofType(pruned map[string]cfnResource, typ string) iter.Seq2[string, cfnResource] {
	return func(yield func(string, cfnResource) bool) {
		for _, id := range sortedKeys(pruned) {
			if p := pruned[id]; p.Type == typ && !yield(id, p) {
				return
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// unescape returns a policy document IAM's API returned as JSON: IAM
// URL-encodes documents, and moto returns those its CloudFormation created as
// a Python dict literal ({'Statement': [...]}).
func unescape(doc string) string {
	if strings.HasPrefix(doc, "%7B") || strings.HasPrefix(doc, "%7b") {
		if d, err := url.QueryUnescape(doc); err == nil {
			doc = d
		}
	}
	if strings.HasPrefix(doc, "{'") {
		return pythonToJSON(doc)
	}
	return doc
}

// pythonToJSON turns a Python literal of dicts, lists, strings, numbers,
// True, False and None into JSON.
func pythonToJSON(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"':
			var str strings.Builder
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				str.WriteByte(s[i])
			}
			q, _ := json.Marshal(str.String())
			b.Write(q)
		case strings.HasPrefix(s[i:], "True"):
			b.WriteString("true")
			i += 3
		case strings.HasPrefix(s[i:], "False"):
			b.WriteString("false")
			i += 4
		case strings.HasPrefix(s[i:], "None"):
			b.WriteString("null")
			i += 3
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// lambdaClient is the Lambda client of the administrator.
func (s *Stack) lambdaClient() *lambda.Client { return lambda.NewFromConfig(s.cfg.AWS) }
