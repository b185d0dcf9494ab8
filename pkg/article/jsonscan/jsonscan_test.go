package jsonscan

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestHelpers checks the readers added for story events against
// encoding/json: what they accept it reads alike, and what they refuse
// they leave unread, for the caller to try another value there.
func TestHelpers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		read func(s *Scanner) (any, bool)
		ok   bool
	}{
		{"null", ` null `, func(s *Scanner) (any, bool) { return nil, s.Null() && s.End() }, true},
		{"null then garbage", `nullx`, func(s *Scanner) (any, bool) { return nil, s.Null() }, false},
		{"not null", `"x"`, func(s *Scanner) (any, bool) { v, ok := s.Str(); return v, !s.Null() && ok && s.End() }, true},
		{"null then array", `null[]`, func(s *Scanner) (any, bool) {
			return nil, !s.Null() && s.Array(func() bool { return true }) && s.End()
		}, false},
		{"array", ` [ "a" , "b" ] `, func(s *Scanner) (any, bool) {
			var out []string
			ok := s.Array(func() bool { v, ok := s.Str(); out = append(out, v); return ok })
			return out, ok && s.End()
		}, true},
		{"empty array", `[]`, func(s *Scanner) (any, bool) {
			out := []string{}
			return out, s.Array(func() bool { return false }) && s.End()
		}, true},
		{"trailing comma", `["a",]`, func(s *Scanner) (any, bool) {
			return nil, s.Array(func() bool { _, ok := s.Str(); return ok })
		}, false},
		{"time", `"2026-12-01T21:00:00.123+01:00"`, func(s *Scanner) (any, bool) {
			var tm time.Time
			return tm, s.Time(&tm) && s.End()
		}, true},
		{"bad time", `"yesterday"`, func(s *Scanner) (any, bool) { var tm time.Time; return tm, s.Time(&tm) }, false},
		{"trailing data", `1 2`, func(s *Scanner) (any, bool) { v, ok := s.Integer(); return v, ok && s.End() }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.read(New([]byte(tc.in)))
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok || got == nil {
				return
			}
			want := reflect.New(reflect.TypeOf(got))
			if err := json.Unmarshal([]byte(tc.in), want.Interface()); err != nil {
				t.Fatal(err)
			}
			if w := want.Elem().Interface(); !reflect.DeepEqual(got, w) {
				t.Fatalf("got %#v, encoding/json %#v", got, w)
			}
		})
	}
}
