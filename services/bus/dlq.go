package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetterRecord is what the DLQ stream holds for a message a stage gave up
// on: why, where it came from, and the original payload, so it can be
// inspected and replayed.
type DeadLetterRecord struct {
	V          int       `json:"v"`
	Stage      string    `json:"stage"`
	Reason     string    `json:"reason"`
	Subject    string    `json:"subject"`
	StreamSeq  uint64    `json:"stream_seq,omitempty"`
	Deliveries uint64    `json:"deliveries,omitempty"`
	At         time.Time `json:"at"`
	Data       []byte    `json:"data"` // base64 in JSON
}

// maxDLQPayload keeps a dead-letter record under the server's payload limit;
// a larger original is cut and the record says so.
const maxDLQPayload = 512 << 10

// DeadLetter publishes a record of msg with the reason it failed.
func DeadLetter(ctx context.Context, js jetstream.JetStream, stage string, msg jetstream.Msg, reason error) error {
	rec := DeadLetterRecord{V: 1, Stage: stage, Reason: reason.Error(), Subject: msg.Subject(), At: time.Now().UTC(), Data: msg.Data()}
	if meta, err := msg.Metadata(); err == nil {
		rec.StreamSeq = meta.Sequence.Stream
		rec.Deliveries = meta.NumDelivered
	}
	return PublishDeadLetter(ctx, js, rec)
}

// PublishDeadLetter publishes rec on its stage's dead-letter subject.
func PublishDeadLetter(ctx context.Context, js jetstream.JetStream, rec DeadLetterRecord) error {
	if len(rec.Data) > maxDLQPayload {
		rec.Reason += fmt.Sprintf(" (payload of %d bytes cut to %d)", len(rec.Data), maxDLQPayload)
		rec.Data = rec.Data[:maxDLQPayload]
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode dead-letter record: %w", err)
	}
	return Publish(ctx, js, Out{Subject: DLQSubject(rec.Stage), Data: b})
}

// FetchRequest asks the fetcher to get a URL (a page or a feed).
type FetchRequest struct {
	V      int    `json:"v"`
	URL    string `json:"url"`
	Source string `json:"source,omitempty"`
}
