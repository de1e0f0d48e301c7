package moto

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes cmd get SIGTERM when this process dies, however it
// dies, so moto_server does not outlive a killed test or `make emulator`.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
