package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
)

// cmdEvalExtract is written by the extraction work (issue 3).
func cmdEvalExtract(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	return errors.New("eval extract: not built yet")
}
