package story

import (
	"errors"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	b, err := Encode(Event{Type: Created, Story: Story{ID: "s-1", Version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Decode(b)
	if err != nil || ev.V != SchemaVersion || ev.Story.ID != "s-1" || ev.Type != Created {
		t.Fatalf("round trip: %+v %v", ev, err)
	}
	tests := []struct {
		in   string
		want error
	}{
		{"{", ErrInvalid},
		{`{"v":1,"story":{}}`, ErrInvalid},
		{`{"v":9,"story":{"id":"s"}}`, ErrUnknownVersion},
	}
	for _, tt := range tests {
		if _, err := Decode([]byte(tt.in)); !errors.Is(err, tt.want) {
			t.Errorf("Decode(%s) err = %v, want %v", tt.in, err, tt.want)
		}
	}
}
