package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "0.0.0-dev"

// printVersion prints the first lines of ansible-playbook --version, for gossible.
func printVersion(w io.Writer, getenv func(string) string) {
	cfgFile := "None"
	if c, err := loadConfig(); err == nil && c.File != "" {
		cfgFile = c.File
	}
	exe, _ := os.Executable()
	if exe != "" {
		exe, _ = filepath.EvalSymlinks(exe)
	}
	fmt.Fprintf(w, "gossible %s\n", version)
	fmt.Fprintf(w, "  config file = %s\n", cfgFile)
	fmt.Fprintf(w, "  executable location = %s\n", exe)
	fmt.Fprintf(w, "  go version = %s\n", runtime.Version())
	_ = getenv
}
