package samstack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
)

// translated is translate.py's output.
type translated struct {
	Template          map[string]any            `json:"Template"`
	Pruned            map[string]cfnResource    `json:"Pruned"`
	ManagedPolicyArns map[string][]any          `json:"ManagedPolicyArns"`
	Parameters        map[string]map[string]any `json:"-"`
}

type cfnResource struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
}

// translate runs the translator on the template with the parameters the
// template declares; it returns the names of those it does not declare.
func translate(ctx context.Context, python, script, template string, params map[string]string) (*translated, []string, error) {
	args := []string{script, template}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, k+"="+params[k])
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("translate %s: %w: %s", template, err, stderr.Bytes())
	}
	var t translated
	if err := json.Unmarshal(stdout.Bytes(), &t); err != nil {
		return nil, nil, fmt.Errorf("translate %s: %w", template, err)
	}
	declared, _ := t.Template["Parameters"].(map[string]any)
	var ignored []string
	for _, k := range keys {
		if _, ok := declared[k]; !ok {
			ignored = append(ignored, k)
		}
	}
	return &t, ignored, nil
}
