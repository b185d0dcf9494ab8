package cluster

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/newsdedup/newsdedup/pkg/lexicon"
)

func TestPreloadLexicon(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	installed := lexicon.Open(lexicon.Options{})
	tests := []struct {
		name    string
		lex     *lexicon.Lexicon
		ctx     context.Context
		wantErr error
		skip    bool
	}{
		{name: "no dictionaries", lex: lexicon.Open(lexicon.Options{Dir: t.TempDir()}), ctx: context.Background()},
		{name: "no dictionaries, ended", lex: lexicon.Open(lexicon.Options{Dir: t.TempDir()}), ctx: canceled, wantErr: context.Canceled},
		{name: "installed, ended", lex: installed, ctx: canceled, wantErr: context.Canceled, skip: len(installed.Languages()) == 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skip {
				t.Skip("no FreeDict dictionary installed ('make deps')")
			}
			err := PreloadLexicon(tt.ctx, tt.lex, log)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("PreloadLexicon: %v, want %v", err, tt.wantErr)
			}
		})
	}
}
