// Command buildimage builds (or reuses) the test-host image and prints its
// tag. make and .ci/run call it before the tests, so no test package pays for
// the build inside its own timeout. It needs no part of the gossible CLI.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/gossible/gossible/lab"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	image, built, err := lab.EnsureImage(ctx, lab.ImageOptions{Log: os.Stderr})
	if err != nil {
		fmt.Fprintln(os.Stderr, "buildimage:", err)
		os.Exit(1)
	}
	verb := "reused"
	if built {
		verb = "built"
	}
	fmt.Fprintf(os.Stderr, "buildimage: %s %s in %s\n", verb, image, time.Since(start).Round(100*time.Millisecond))
	fmt.Println(image)
}
