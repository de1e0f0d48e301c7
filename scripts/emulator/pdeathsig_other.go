//go:build !linux

package main

import "os/exec"

// dieWithParent is a no-op where the OS has no parent-death signal; stop
// `make emulator` with Ctrl-C so it can stop its children.
func dieWithParent(*exec.Cmd) {}
