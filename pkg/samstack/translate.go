package samstack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
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

// translation is one run of the translator, kept for the process: the
// translator takes seconds (aws-sam-translator's start), and tests that
// create many stacks of one template ask for the same few translations.
type translation struct {
	once sync.Once
	out  []byte
	err  error
}

var (
	translationsMu sync.Mutex
	translations   = map[string]*translation{}
)

// translate runs the translator on the template with the parameters the
// template declares; it returns the names of those it does not declare. A
// translation of the same template contents with the same parameters is
// made once per process.
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
	contents, err := os.ReadFile(template)
	if err != nil {
		return nil, nil, fmt.Errorf("translate: %w", err)
	}
	sum := sha256.Sum256(contents)
	key := python + "\x00" + strings.Join(args, "\x00") + "\x00" + hex.EncodeToString(sum[:])
	translationsMu.Lock()
	tr := translations[key]
	if tr == nil {
		tr = &translation{}
		translations[key] = tr
	}
	translationsMu.Unlock()
	tr.once.Do(func() {
		var stdout, stderr bytes.Buffer
		// Not ctx: the translation is shared with later callers, whose
		// contexts this one's end must not fail.
		cmd := exec.Command(python, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			tr.err = fmt.Errorf("translate %s: %w: %s", template, err, stderr.Bytes())
			return
		}
		tr.out = stdout.Bytes()
	})
	if tr.err != nil {
		return nil, nil, tr.err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	// Each caller gets its own copy to change.
	var t translated
	if err := json.Unmarshal(tr.out, &t); err != nil {
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
