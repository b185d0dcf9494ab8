package extractor

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newsdedup/newsdedup/pkg/article"
	"github.com/newsdedup/newsdedup/pkg/extract"
	"github.com/newsdedup/newsdedup/services/bus"
)

// startBus starts a real embedded nats-server with JetStream on dir and
// the pipeline's streams.
func startBus(t testing.TB, dir string) (*server.Server, jetstream.JetStream) {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedConfig{DataDir: dir, Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nc, js, err := bus.Connect(ctx, ns.ClientURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	if err := bus.WaitReady(ctx, js, bus.Options{}); err != nil {
		t.Fatal(err)
	}
	return ns, js
}

func TestKVKey(t *testing.T) {
	tests := []struct{ source, want string }{
		{"www.Example.com", "www.example.com.k"},
		{"a b/c*>", "a_b_c__.k"},
		{"..odd..name.", "odd.name.k"},
		{"", "_.k"},
	}
	for _, tt := range tests {
		if got := kvKey(tt.source, "k"); got != tt.want {
			t.Errorf("kvKey(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}

func TestHandlerLearnsPerSource(t *testing.T) {
	_, js := startBus(t, t.TempDir())
	ctx := context.Background()
	kv, err := SourcesBucket(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	x, err := extract.New(extract.Config{})
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(x, NewSourceCounts(kv, CountsOptions{}, nil), nil)
	towns := []string{"Ashford", "Brill", "Carrow", "Dunmore", "Elsworth", "Fenwick", "Garth", "Holloway", "Ilsley", "Jarrow"}
	var last article.Article
	for i, town := range towns {
		text := fmt.Sprintf("The council of %s voted on Tuesday to keep the library open on Sundays through the winter, after a petition signed by hundreds of residents.\n\n"+
			"The mayor of %s said the extra hours would be paid for from the culture budget, without raising local taxes.\n\n"+
			"Tips for the Courier newsroom are welcome at any hour of the day.", town, town)
		in, err := article.Encode(article.Article{ID: fmt.Sprintf("a%d", i), URL: fmt.Sprintf("https://courier.example/news/%d", i), Text: text})
		if err != nil {
			t.Fatal(err)
		}
		outs, err := h(ctx, in)
		if err != nil || len(outs) != 1 || outs[0].Subject != bus.SubjectExtracted {
			t.Fatalf("article %d: %v %v", i, outs, err)
		}
		if last, err = article.Decode(outs[0].Data); err != nil {
			t.Fatal(err)
		}
		if i < 8 && strings.Contains(fmt.Sprint(last.Removed), "source") {
			t.Fatalf("article %d: source removal before enough articles: %v", i, last.Removed)
		}
	}
	if strings.Contains(last.Text, "Tips for the Courier") || !strings.Contains(last.Text, "council of Jarrow") {
		t.Errorf("last article text:\n%s", last.Text)
	}
	var found bool
	for _, r := range last.Removed {
		found = found || (r.Layer == "source" && strings.HasPrefix(r.Text, "Tips for the Courier"))
	}
	if !found || last.Source != "" {
		t.Errorf("removals %+v, source %q", last.Removed, last.Source)
	}
}
