package bidi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Enter is the key Type sends for the Enter key (WebDriver's code for it).
const Enter = "\uE007"

// Value is a script's result as the browser serialised it (a RemoteValue):
// a type (string, number, boolean, null, undefined, node, object, ...), the
// value of a primitive, and a node's shared id, by which later commands can
// refer to the same element.
type Value struct {
	Type     string          `json:"type"`
	Value    json.RawMessage `json:"value,omitempty"`
	SharedID string          `json:"sharedId,omitempty"`
}

// Go returns a primitive as a Go value: a string, float64 or bool, nil for
// null and undefined; of anything else, its type's name.
func (v Value) Go() any {
	switch v.Type {
	case "string", "number", "boolean":
		var x any
		if json.Unmarshal(v.Value, &x) == nil {
			return x // a number that JSON cannot spell (NaN, -0) comes back as its string
		}
	case "null", "undefined":
		return nil
	}
	return v.Type
}

// Tab returns the id of the browser's first top-level browsing context.
func (b *Browser) Tab(ctx context.Context) (string, error) {
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	if err := b.Call(ctx, "browsingContext.getTree", map[string]any{"maxDepth": 0}, &tree); err != nil {
		return "", err
	}
	if len(tree.Contexts) == 0 {
		return "", errors.New("browsingContext.getTree: no browsing context")
	}
	return tree.Contexts[0].Context, nil
}

// Navigate loads url in tab and waits for the page to be complete.
func (b *Browser) Navigate(ctx context.Context, tab, url string) error {
	return b.Call(ctx, "browsingContext.navigate", map[string]any{"context": tab, "url": url, "wait": "complete"}, nil)
}

// SetViewport sets tab's viewport to width by height CSS pixels.
func (b *Browser) SetViewport(ctx context.Context, tab string, width, height int) error {
	return b.Call(ctx, "browsingContext.setViewport", map[string]any{"context": tab,
		"viewport": map[string]int{"width": width, "height": height}}, nil)
}

// Screenshot returns a PNG of the whole document in tab.
func (b *Browser) Screenshot(ctx context.Context, tab string) ([]byte, error) {
	var shot struct {
		Data string `json:"data"`
	}
	if err := b.Call(ctx, "browsingContext.captureScreenshot", map[string]any{"context": tab, "origin": "document"}, &shot); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(shot.Data)
}

// Subscribe subscribes the session to events (log.entryAdded, say) in every
// browsing context.
func (b *Browser) Subscribe(ctx context.Context, events ...string) error {
	return b.Call(ctx, "session.subscribe", map[string]any{"events": events}, nil)
}

// Evaluate evaluates the JavaScript expression expr in tab, awaiting it if
// it is a promise. A thrown exception is an error with its text.
func (b *Browser) Evaluate(ctx context.Context, tab, expr string) (Value, error) {
	return b.script(ctx, "script.evaluate", map[string]any{"expression": expr, "target": map[string]string{"context": tab}, "awaitPromise": true})
}

// CallFunction calls the JavaScript function fn in tab with args: strings,
// numbers, booleans, and Values of nodes a script returned before.
func (b *Browser) CallFunction(ctx context.Context, tab, fn string, args ...any) (Value, error) {
	local := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case string:
			local[i] = map[string]any{"type": "string", "value": a}
		case bool:
			local[i] = map[string]any{"type": "boolean", "value": a}
		case int, float64:
			local[i] = map[string]any{"type": "number", "value": a}
		case Value:
			local[i] = map[string]any{"sharedId": a.SharedID}
		default:
			return Value{}, fmt.Errorf("script.callFunction: argument %d: %T is not one the client sends", i, a)
		}
	}
	return b.script(ctx, "script.callFunction", map[string]any{"functionDeclaration": fn, "arguments": local,
		"target": map[string]string{"context": tab}, "awaitPromise": true})
}

func (b *Browser) script(ctx context.Context, method string, params map[string]any) (Value, error) {
	var out struct {
		Type      string `json:"type"` // success or exception
		Result    Value  `json:"result"`
		Exception struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := b.Call(ctx, method, params, &out); err != nil {
		return Value{}, err
	}
	if out.Type == "exception" {
		return Value{}, fmt.Errorf("%s: %s", method, out.Exception.Text)
	}
	return out.Result, nil
}

// Click moves the mouse to the centre of the element (a node Value) and
// presses and releases its main button: real pointer, mouse and click
// events, as a user's. The element must be in the viewport.
func (b *Browser) Click(ctx context.Context, tab string, element Value) error {
	return b.Call(ctx, "input.performActions", map[string]any{"context": tab, "actions": []any{map[string]any{
		"type": "pointer", "id": "mouse", "parameters": map[string]string{"pointerType": "mouse"},
		"actions": []any{
			map[string]any{"type": "pointerMove", "x": 0, "y": 0,
				"origin": map[string]any{"type": "element", "element": map[string]string{"sharedId": element.SharedID}}},
			map[string]any{"type": "pointerDown", "button": 0},
			map[string]any{"type": "pointerUp", "button": 0},
		}}}}, nil)
}

// Type presses and releases each key of keys in turn, into whatever has
// the focus: a character for itself, Enter for the Enter key.
func (b *Browser) Type(ctx context.Context, tab, keys string) error {
	var actions []any
	for _, k := range strings.Split(keys, "") {
		actions = append(actions, map[string]string{"type": "keyDown", "value": k}, map[string]string{"type": "keyUp", "value": k})
	}
	return b.Call(ctx, "input.performActions", map[string]any{"context": tab,
		"actions": []any{map[string]any{"type": "key", "id": "keyboard", "actions": actions}}}, nil)
}
