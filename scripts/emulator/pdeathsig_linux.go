package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes cmd get SIGTERM when this process dies, however it
// dies, so no function or emulator outlives `make emulator`.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
