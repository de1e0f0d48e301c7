package console_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/pkg/console/internal/bidi"
)

// newFirefox starts headless Firefox (Debian's firefox-esr) on a new
// profile for the rest of the test, through WebDriver BiDi. Uncaught
// exceptions, console errors and CSP violations (Firefox logs them as
// script errors) fail the test; failed API calls the page expects (a 4xx
// it shows) are not logged.
func newFirefox(t *testing.T) *browser {
	t.Helper()
	b := newBrowser(t, "firefox")
	path := browserPath(t, "firefox-esr", "firefox-esr", "firefox")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	ff, err := bidi.Start(ctx, path, func(e bidi.Event) {
		var entry struct {
			Level, Type, Text string
		}
		if e.Method == "log.entryAdded" && json.Unmarshal(e.Params, &entry) == nil && entry.Level == "error" {
			b.problem(entry.Type + ": " + entry.Text)
		}
	})
	if err != nil {
		cancel()
		t.Fatalf("start firefox: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := ff.Close(); err != nil {
			t.Errorf("close firefox: %v", err)
		}
	})
	p := firefoxPage{ctx: ctx, ff: ff}
	if p.tab, err = ff.Tab(ctx); err == nil {
		err = ff.SetViewport(ctx, p.tab, 1280, 1000)
	}
	if err == nil {
		err = ff.Subscribe(ctx, "log.entryAdded")
	}
	if err != nil {
		t.Fatalf("set up firefox: %v", err)
	}
	b.page = p
	return b
}

// firefoxPage is a Firefox tab driven through WebDriver BiDi.
type firefoxPage struct {
	ctx context.Context
	ff  *bidi.Browser
	tab string
}

func (p firefoxPage) navigate(url string) error { return p.ff.Navigate(p.ctx, p.tab, url) }

func (p firefoxPage) eval(expr string) (any, error) {
	v, err := p.ff.Evaluate(p.ctx, p.tab, expr)
	return v.Go(), err
}

// element returns the element at sel, focused and scrolled into the middle
// of the viewport (as Chromium's click does), for input to go to.
func (p firefoxPage) element(sel string) (bidi.Value, error) {
	return p.ff.CallFunction(p.ctx, p.tab, `(sel) => {
		const e = document.querySelector(sel);
		e.scrollIntoView({block: "center", inline: "center"});
		e.focus();
		return e;
	}`, sel)
}

func (p firefoxPage) click(sel string) error {
	e, err := p.element(sel)
	if err != nil {
		return err
	}
	return p.ff.Click(p.ctx, p.tab, e)
}

func (p firefoxPage) sendKeys(sel, keys string) error {
	if _, err := p.element(sel); err != nil {
		return err
	}
	return p.ff.Type(p.ctx, p.tab, strings.ReplaceAll(keys, enter, bidi.Enter))
}

func (p firefoxPage) screenshot() ([]byte, error) { return p.ff.Screenshot(p.ctx, p.tab) }
