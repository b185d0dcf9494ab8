package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
)

// cmdEval dispatches the quality measurements: extraction against ground
// truth, pair similarity and story clustering against labelled sets.
func cmdEval(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return fmt.Errorf("eval: give extract, pairs or clusters: %w", errUsage)
	}
	switch args[0] {
	case "extract":
		return cmdEvalExtract(ctx, args[1:], stdout, log)
	case "pairs":
		return cmdEvalPairs(ctx, args[1:], stdout, log)
	case "clusters":
		return cmdEvalClusters(ctx, args[1:], stdout, log)
	}
	return fmt.Errorf("eval: unknown measurement %q: %w", args[0], errUsage)
}
