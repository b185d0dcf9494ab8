package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// cmdEvalPairs is written by the clustering work (issue 4).
func cmdEvalPairs(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return errors.New("eval pairs: not built yet")
}

// cmdEvalClusters is written by the clustering work (issue 4).
func cmdEvalClusters(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return errors.New("eval clusters: not built yet")
}
