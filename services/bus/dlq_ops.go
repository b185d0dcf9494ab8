package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"
)

// StoredDeadLetter is a dead-letter record with its place in the DLQ stream.
type StoredDeadLetter struct {
	Seq uint64 `json:"seq"`
	DeadLetterRecord
}

// ListDeadLetters returns up to limit records, oldest first, of one stage
// (or of every stage when stage is "").
func ListDeadLetters(ctx context.Context, js jetstream.JetStream, stage string, limit int) ([]StoredDeadLetter, error) {
	s, err := js.Stream(ctx, StreamDLQ)
	if err != nil {
		return nil, fmt.Errorf("dead-letter stream: %w", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("dead-letter stream: %w", err)
	}
	var out []StoredDeadLetter
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && seq > 0 && (limit <= 0 || len(out) < limit); seq++ {
		raw, err := s.GetMsg(ctx, seq)
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgNotFound) {
				continue // deleted after a replay
			}
			return out, fmt.Errorf("read dead letter %d: %w", seq, err)
		}
		var rec DeadLetterRecord
		if err := json.Unmarshal(raw.Data, &rec); err != nil {
			rec = DeadLetterRecord{Reason: "unreadable dead-letter record: " + err.Error(), Subject: raw.Subject}
		}
		if stage != "" && rec.Stage != stage {
			continue
		}
		out = append(out, StoredDeadLetter{Seq: seq, DeadLetterRecord: rec})
	}
	return out, nil
}

// ReplayDeadLetter re-publishes a record's original message on its original
// subject, then removes the record. The new message id names the replay, so
// the stream's deduplication of the first attempt does not drop it.
func ReplayDeadLetter(ctx context.Context, js jetstream.JetStream, d StoredDeadLetter) error {
	if d.Subject == "" || len(d.Data) == 0 {
		return fmt.Errorf("dead letter %d has no original message to replay", d.Seq)
	}
	if err := Publish(ctx, js, Out{Subject: d.Subject, Data: d.Data, MsgID: "replay:" + strconv.FormatUint(d.Seq, 10)}); err != nil {
		return fmt.Errorf("replay dead letter %d: %w", d.Seq, err)
	}
	s, err := js.Stream(ctx, StreamDLQ)
	if err != nil {
		return err
	}
	if err := s.DeleteMsg(ctx, d.Seq); err != nil {
		return fmt.Errorf("replayed dead letter %d but could not remove it: %w", d.Seq, err)
	}
	return nil
}
