package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A target is one fuzz target of one package.
type target struct {
	pkg  string // import path
	name string // FuzzXxx
}

// listTargets returns the fuzz targets of the packages matching patterns,
// in package order, as `go test -list` names them. It asks go test only of
// the packages whose test files declare a func Fuzz, since listing builds
// the package's test binary.
func listTargets(goCmd string, patterns []string) ([]target, error) {
	pkgs, err := packagesWithFuzz(goCmd, patterns)
	if err != nil {
		return nil, err
	}
	var targets []target
	for _, pkg := range pkgs {
		out, err := output(exec.Command(goCmd, "test", "-list", "^Fuzz", pkg))
		if err != nil {
			return nil, fmt.Errorf("listing the fuzz targets of %s: %w", pkg, err)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "Fuzz") {
				targets = append(targets, target{pkg: pkg, name: line})
			}
		}
	}
	return targets, nil
}

// packagesWithFuzz returns the import paths of the packages matching
// patterns that have a test file declaring a func Fuzz.
func packagesWithFuzz(goCmd string, patterns []string) ([]string, error) {
	format := `{{.ImportPath}}{{range .TestGoFiles}} {{$.Dir}}/{{.}}{{end}}{{range .XTestGoFiles}} {{$.Dir}}/{{.}}{{end}}`
	out, err := output(exec.Command(goCmd, append([]string{"list", "-f", format}, patterns...)...))
	if err != nil {
		return nil, fmt.Errorf("listing packages: %w", err)
	}
	var pkgs []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		fields := strings.Fields(line)
		for _, file := range fields[1:] {
			if declaresFuzz(filepath.Clean(file)) {
				pkgs = append(pkgs, fields[0])
				break
			}
		}
	}
	return pkgs, nil
}

// declaresFuzz reports whether the Go file at path has a line starting
// "func Fuzz".
func declaresFuzz(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true // let go test -list decide
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		if bytes.HasPrefix(s.Bytes(), []byte("func Fuzz")) {
			return true
		}
	}
	return false
}

// output runs cmd and returns its standard output, with its standard error
// in the error if it fails.
func output(cmd *exec.Cmd) (string, error) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%v: %w: %s", cmd.Args, err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}
