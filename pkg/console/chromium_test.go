package console_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newChromium starts headless Chromium (without the sandbox, which needs
// privileges a container's root lacks) for the rest of the test. Uncaught
// exceptions and browser-log errors (a CSP violation is one) fail the test;
// failed API calls the page expects (a 4xx it shows) are not errors.
func newChromium(t *testing.T) *browser {
	t.Helper()
	b := newBrowser(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browserPath(t, "chromium", "chromium", "chromium-browser", "google-chrome")),
		chromedp.NoSandbox, chromedp.Headless, chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-dev-shm-usage", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || (m.Type == chromedp.ConsoleError && m.Source != "network") {
				b.problem(m.String())
			}
		}
	}()
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
		<-done
	})
	b.page = chromiumPage{ctx}
	return b
}

// chromiumPage is a Chromium tab driven by chromedp.
type chromiumPage struct{ ctx context.Context }

func (p chromiumPage) navigate(url string) error { return chromedp.Do(p.ctx, chromedp.Navigate(url)) }

func (p chromiumPage) eval(expr string) (any, error) {
	return chromedp.Run(p.ctx, chromedp.Evaluate[any](expr))
}

// click first scrolls the element to the middle of the viewport, as the
// Firefox page does: chromedp scrolls only an element out of the viewport,
// and one in it may be under the status bar fixed at its foot.
func (p chromiumPage) click(sel string) error {
	if _, err := p.eval(`document.querySelector(` + quote(sel) + `).scrollIntoView({block: "center", inline: "center"}), true`); err != nil {
		return err
	}
	return chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(sel)))
}

func (p chromiumPage) sendKeys(sel, keys string) error {
	return chromedp.Do(p.ctx, chromedp.SendKeys(chromedp.CSS(sel), keys))
}

func (p chromiumPage) screenshot() ([]byte, error) {
	return chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
}
