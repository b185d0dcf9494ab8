package cluster

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/newsdedup/newsdedup/pkg/lexicon"
)

// PreloadLexicon reads every installed language's table of lex, as many at
// once as there are CPUs, so that no article waits for one. A table that
// cannot be read is logged and left out (that language gets no glosses, as
// when the table is read on first use); only ctx ending is an error.
func PreloadLexicon(ctx context.Context, lex *lexicon.Lexicon, log *slog.Logger) error {
	start := time.Now()
	langs := lex.Languages()
	next := make(chan string)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(langs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lang := range next {
				if _, err := lex.Table(lang); err != nil {
					log.Warn("cluster: lexicon table not read, no glosses for this language", "lang", lang, "err", err)
				}
			}
		}()
	}
feed:
	for _, lang := range langs {
		select {
		case next <- lang:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("cluster: preload lexicon: %w", err)
	}
	log.Info("cluster: lexicon read", "languages", len(langs), "took", time.Since(start).Round(time.Millisecond))
	return nil
}
