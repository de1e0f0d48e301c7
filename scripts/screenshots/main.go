// Command screenshots regenerates the README's console screenshots
// (pkg/console/screenshots/*.png): it runs the console's browser test, which
// drives headless Chromium through the main flows against a real local mode,
// with -update, so the pictures show what the test saw.
//
//	go run ./scripts/screenshots        # or: make screenshots
package main

import (
	"flag"
	"log"
	"os"
	"os/exec"
)

func main() {
	goTool := flag.String("go", "go", "the go command")
	flag.Parse()
	cmd := exec.Command(*goTool, "test", "-count=1", "-run", "^TestConsoleInChromium$", "./pkg/console", "-args", "-update")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// A missing Chromium must not pass as a skip: the pictures would be old.
	cmd.Env = append(os.Environ(), "CI=true")
	if err := cmd.Run(); err != nil {
		log.Fatalf("the browser test failed, screenshots not updated: %v", err)
	}
	log.Print("wrote pkg/console/screenshots/webhook.png and delivery.png")
}
