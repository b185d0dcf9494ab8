package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Options shape the streams; Replicas is 1 on one machine and 3 on a cluster.
type Options struct {
	Replicas int
	// DuplicateWindow is how long a Nats-Msg-Id is remembered, so the same
	// article imported or fetched twice within it is stored once. Each
	// server holds three ids per article of the window in memory.
	DuplicateWindow time.Duration
	// ArticlesMaxAge bounds the article stream.
	ArticlesMaxAge time.Duration
	// StoriesMaxAge bounds the story stream (0: no limit, so a feed
	// consumer or a rebuilt search index can replay from the start). A
	// retention policy sets it to the time the index keeps a story after
	// its last update (docs/architecture.md, "Retention").
	StoriesMaxAge time.Duration
}

func (o Options) withDefaults() Options {
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 24 * time.Hour
	}
	if o.ArticlesMaxAge <= 0 {
		o.ArticlesMaxAge = 30 * 24 * time.Hour
	}
	// JetStream refuses a duplicate window longer than the stream's max age,
	// and ids older than the articles they guard are of no use.
	o.DuplicateWindow = min(o.DuplicateWindow, o.ArticlesMaxAge)
	return o
}

// Connect dials NATS and opens JetStream. The connection retries forever
// after a disconnect, since workers outlive server restarts.
func Connect(ctx context.Context, url, name string) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(url,
		nats.Name("newsdedup "+name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(500*time.Millisecond),
		nats.RetryOnFailedConnect(true),
		nats.ErrorHandler(func(c *nats.Conn, sub *nats.Subscription, err error) {
			subj := ""
			var msgs, bytes int
			if sub != nil {
				subj = sub.Subject
				msgs, bytes, _ = sub.Pending()
			}
			slog.Warn("NATS asynchronous error", "connection", name, "subscription", subj, "pending_msgs", msgs, "pending_bytes", bytes, "err", err)
		}),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to NATS at %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("open JetStream: %w", err)
	}
	// Wait for the first connection so that a wrong URL fails clearly.
	deadline := time.Now().Add(10 * time.Second)
	for !nc.IsConnected() {
		if time.Now().After(deadline) || ctx.Err() != nil {
			nc.Close()
			return nil, nil, fmt.Errorf("connect to NATS at %s: %w", url, nats.ErrNoServers)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nc, js, nil
}

// StreamConfigs lists every stream of the pipeline.
func StreamConfigs(o Options) []jetstream.StreamConfig {
	o = o.withDefaults()
	return []jetstream.StreamConfig{
		{
			Name: StreamFetch, Subjects: []string{SubjectFetch},
			Retention: jetstream.LimitsPolicy, MaxAge: 7 * 24 * time.Hour,
			Duplicates: time.Hour, Replicas: o.Replicas, Storage: jetstream.FileStorage,
		},
		{
			Name: StreamArticles, Subjects: []string{"articles.>"},
			Retention: jetstream.LimitsPolicy, MaxAge: o.ArticlesMaxAge,
			Duplicates: o.DuplicateWindow, Replicas: o.Replicas, Storage: jetstream.FileStorage,
		},
		{
			Name: StreamStories, Subjects: []string{SubjectStories + ".>"},
			Retention: jetstream.LimitsPolicy, MaxAge: o.StoriesMaxAge, Duplicates: time.Hour,
			Replicas: o.Replicas, Storage: jetstream.FileStorage,
		},
		{
			Name: StreamDLQ, Subjects: []string{SubjectDLQ + ".>"},
			Retention: jetstream.LimitsPolicy, MaxAge: 30 * 24 * time.Hour,
			Replicas: o.Replicas, Storage: jetstream.FileStorage,
		},
	}
}

// Stage describes one worker stage's input: the stream and subject it
// reads through its durable pull consumer, shared by all its replicas.
type Stage struct {
	Name    string
	Stream  string
	Subject string
	// Also lists further subjects of the stream the stage reads, in one
	// order with Subject's messages.
	Also []string
}

// Subjects are all the subjects the stage reads.
func (s Stage) Subjects() []string { return append([]string{s.Subject}, s.Also...) }

// Stages lists the stateless and stateful article stages in flow order.
var stages = []Stage{
	{Name: StageFetcher, Stream: StreamFetch, Subject: SubjectFetch},
	{Name: StageExtractor, Stream: StreamArticles, Subject: SubjectRaw},
	{Name: StageLangDetect, Stream: StreamArticles, Subject: SubjectExtracted},
	{Name: StageCluster, Stream: StreamArticles, Subject: SubjectDetected, Also: []string{SubjectCorrections}},
}

// Stages returns the stage descriptions in flow order.
func Stages() []Stage { return append([]Stage(nil), stages...) }

// StageNamed returns the stage of that name.
func StageNamed(name string) (Stage, error) {
	for _, s := range stages {
		if s.Name == name {
			return s, nil
		}
	}
	return Stage{}, fmt.Errorf("bus: no stage %q", name)
}

// ConsumerConfig is the durable pull consumer of a stage.
func ConsumerConfig(s Stage) jetstream.ConsumerConfig {
	cfg := jetstream.ConsumerConfig{
		Durable:       s.Name,
		Description:   "newsdedup " + s.Name + " stage",
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       AckWait,
		MaxDeliver:    MaxDeliver,
		BackOff:       backoff,
		MaxAckPending: 256,
	}
	if len(s.Also) == 0 {
		cfg.FilterSubject = s.Subject
	} else {
		cfg.FilterSubjects = s.Subjects()
	}
	if s.Name == StageCluster {
		// Clustering is order-sensitive and stateful: its single active
		// instance handles messages one by one in stream order (concurrency
		// 1), acking in order, so the ack floor marks what its state holds.
		cfg.MaxAckPending = 64
	}
	return cfg
}

// Ensure creates or updates every stream and stage consumer. It is safe to
// call from every process at start: the last writer wins with the same config.
func Ensure(ctx context.Context, js jetstream.JetStream, o Options) error {
	for _, sc := range StreamConfigs(o) {
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return fmt.Errorf("ensure stream %s: %w", sc.Name, err)
		}
	}
	for _, s := range stages {
		if _, err := js.CreateOrUpdateConsumer(ctx, s.Stream, ConsumerConfig(s)); err != nil {
			return fmt.Errorf("ensure consumer %s: %w", s.Name, err)
		}
	}
	return nil
}

// EnsureMissing creates the streams and stage consumers that do not exist
// yet, with the default options, and leaves those that do as they are.
func EnsureMissing(ctx context.Context, js jetstream.JetStream) error {
	for _, sc := range StreamConfigs(Options{}) {
		if _, err := js.Stream(ctx, sc.Name); err == nil {
			continue
		} else if !errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("look up stream %s: %w", sc.Name, err)
		}
		if _, err := js.CreateStream(ctx, sc); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return fmt.Errorf("create stream %s: %w", sc.Name, err)
		}
	}
	for _, s := range stages {
		if _, err := js.Consumer(ctx, s.Stream, s.Name); err == nil {
			continue
		} else if !errors.Is(err, jetstream.ErrConsumerNotFound) {
			return fmt.Errorf("look up consumer %s: %w", s.Name, err)
		}
		if _, err := js.CreateConsumer(ctx, s.Stream, ConsumerConfig(s)); err != nil && !errors.Is(err, jetstream.ErrConsumerExists) {
			return fmt.Errorf("create consumer %s: %w", s.Name, err)
		}
	}
	return nil
}

// WaitReady retries Ensure until the JetStream API answers, since a server
// or cluster that has just started needs a moment to elect its leaders.
// It is for the pipeline's own processes, which own the streams' options.
func WaitReady(ctx context.Context, js jetstream.JetStream, o Options) error {
	return waitJetStream(ctx, func(ctx context.Context) error { return Ensure(ctx, js, o) })
}

// WaitStreams is WaitReady for clients that do not own the streams' options
// (import, the dead-letter tools): it only creates what is missing. Ensure
// with their default options would reconfigure a running cluster's streams,
// scaling its three replicas down to one.
func WaitStreams(ctx context.Context, js jetstream.JetStream) error {
	return waitJetStream(ctx, func(ctx context.Context) error { return EnsureMissing(ctx, js) })
}

func waitJetStream(ctx context.Context, ensure func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		// Each attempt has its own deadline: a request sent before the
		// cluster has a meta leader gets no answer at all.
		attempt, cancelAttempt := context.WithTimeout(ctx, 5*time.Second)
		err := ensure(attempt)
		cancelAttempt()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("JetStream not ready: %w", err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
