package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsdedup/newsdedup/pkg/index"
	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/corrections"
)

func TestParseEditors(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		who        map[string]string // token → name; "" name: not an editor
		err        string
	}{
		{"two editors", "# night shift\nk9R2x7Qp4Lm8Zt3W night desk\n\n  aaaaaaaaaaaaaaaa   Ada  \n",
			map[string]string{"k9R2x7Qp4Lm8Zt3W": "night desk", "aaaaaaaaaaaaaaaa": "Ada", "k9R2x7Qp4Lm8Zt3": "", "": ""}, ""},
		{"short token", "short night desk\n", nil, "line 1: a token of at least 16"},
		{"no name", "# x\nk9R2x7Qp4Lm8Zt3W\n", nil, "line 2: the editor's name"},
		{"token twice", "k9R2x7Qp4Lm8Zt3W a\nk9R2x7Qp4Lm8Zt3W b\n", nil, "line 2: a token already given"},
		{"empty", "# nobody\n", nil, "no editor listed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eds, err := ParseEditors(strings.NewReader(tc.file))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for token, want := range tc.who {
				got, ok := eds.who(token)
				if got != want || ok != (want != "") {
					t.Errorf("who(%q) = %q, %v; want %q", token, got, ok, want)
				}
			}
		})
	}
}

// TestCorrectionsRoute: the HTTP side of POST /api/corrections, with the
// clustering stage's answers given by a send function. The whole path
// through NATS and the clustering stage is services/newsdedup's
// TestStoriesCommand and the browser test.
func TestCorrectionsRoute(t *testing.T) {
	ix, eds := editingSetup(t, "k9R2x7Qp4Lm8Zt3W night desk\n")
	var sent []story.Correction
	answer := func(_ context.Context, c story.Correction) (corrections.Outcome, error) {
		sent = append(sent, c)
		out := corrections.Outcome{Correction: c}
		switch {
		case strings.Contains(c.Note, "unreachable"):
			return out, errors.New("nats: no servers available")
		case strings.Contains(c.Note, "refuse"):
			out.Refused = "already one story: a, b all lead to a"
		case strings.Contains(c.Note, "slow"):
		case c.Op == story.OpMerge:
			out.Events = []story.Event{{Type: story.Merged, Story: story.Story{ID: c.Stories[0], Version: 3,
				Members: []story.Member{{ArticleID: "x"}, {ArticleID: "y"}}}, Absorbed: c.Stories[1:]}}
		default:
			out.Events = []story.Event{
				{Type: story.Created, Story: story.Story{ID: "s-new", Members: []story.Member{{ArticleID: c.Articles[0]}}}},
				{Type: story.Split, Story: story.Story{ID: "s-old", Members: []story.Member{{ArticleID: "z"}}}, Removed: c.Articles, Into: "s-new"},
			}
		}
		return out, nil
	}
	on := httptest.NewServer(NewHandler(ix, nil, nil, func(h *handler) {
		h.edit = &editing{editors: func() (*Editors, error) { return eds, nil }, send: answer}
	}))
	defer on.Close()
	off := httptest.NewServer(NewHandler(ix, nil, nil))
	defer off.Close()
	broken := httptest.NewServer(NewHandler(ix, nil, nil, func(h *handler) {
		h.edit = &editing{editors: func() (*Editors, error) { return nil, errors.New("editors: line 2: no name") }, send: answer}
	}))
	defer broken.Close()

	const good = "Bearer k9R2x7Qp4Lm8Zt3W"
	for _, tc := range []struct {
		name       string
		srv        *httptest.Server
		auth, body string
		status     int
		says       string // in the body
	}{
		{"editing off", off, good, `{"op":"merge","stories":["a","b"]}`, http.StatusForbidden, "--editors FILE"},
		{"editors file broken", broken, good, `{"op":"merge","stories":["a","b"]}`, http.StatusServiceUnavailable, "no correction is taken"},
		{"no token", on, "", `{"op":"merge","stories":["a","b"]}`, http.StatusUnauthorized, "an editor's token"},
		{"wrong token", on, "Bearer k9R2x7Qp4Lm8Zt3X", `{"op":"merge","stories":["a","b"]}`, http.StatusUnauthorized, "an editor's token"},
		{"not bearer", on, "Basic k9R2x7Qp4Lm8Zt3W", `{"op":"merge","stories":["a","b"]}`, http.StatusUnauthorized, "Bearer"},
		{"not JSON", on, good, `merge a b`, http.StatusBadRequest, "JSON object"},
		{"unknown field", on, good, `{"op":"merge","stories":["a","b"],"by":"someone else"}`, http.StatusBadRequest, `unknown field \"by\"`},
		{"one story", on, good, `{"op":"merge","stories":["a"]}`, http.StatusBadRequest, "at least two"},
		{"unknown operation", on, good, `{"op":"unmerge","stories":["a","b"]}`, http.StatusBadRequest, "unmerge"},
		{"merge", on, "bearer  k9R2x7Qp4Lm8Zt3W", `{"op":"merge","stories":["a","b"],"note":" one event "}`, http.StatusOK, `"message":"merged b into a: 2 articles`},
		{"split", on, good, `{"op":"split","articles":["m1"]}`, http.StatusOK, `"into":"s-new"`},
		{"refused", on, good, `{"op":"merge","stories":["a","b"],"note":"refuse"}`, http.StatusUnprocessableEntity, "refused: already one story"},
		{"no answer yet", on, good, `{"op":"merge","stories":["a","b"],"note":"slow"}`, http.StatusAccepted, `"outcome":"queued"`},
		{"NATS down", on, good, `{"op":"merge","stories":["a","b"],"note":"unreachable"}`, http.StatusServiceUnavailable, "could not be sent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, tc.srv.URL+"/api/corrections", strings.NewReader(tc.body))
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(body)
			if res.StatusCode != tc.status || !strings.Contains(string(raw), tc.says) {
				t.Errorf("%d %s; want %d saying %q", res.StatusCode, raw, tc.status, tc.says)
			}
			if res.StatusCode == http.StatusUnauthorized && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	// The editor's name and note reach the correction; the client names
	// no one.
	if len(sent) != 5 || sent[0].By != "night desk" || sent[0].Note != "one event" || sent[1].Articles[0] != "m1" {
		t.Errorf("corrections sent: %+v", sent)
	}
	// The log's route: its limit checked, an empty list where no log is kept.
	for _, tc := range []struct {
		path   string
		status int
		says   string
	}{
		{"/api/corrections", http.StatusOK, `{"corrections":[]}`},
		{"/api/corrections?limit=0", http.StatusBadRequest, "limit: a number from 1 to 500"},
		{"/api/corrections?limit=501", http.StatusBadRequest, "limit"},
		{"/api/corrections?limit=ten", http.StatusBadRequest, "limit"},
	} {
		res, err := http.Get(off.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status || !strings.Contains(string(b), tc.says) {
			t.Errorf("GET %s: %d %s; want %d saying %q", tc.path, res.StatusCode, b, tc.status, tc.says)
		}
	}
	for _, srv := range []*httptest.Server{on, off} {
		var got map[string]bool
		res, err := http.Get(srv.URL + "/api/editing")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		if got["enabled"] != (srv == on) {
			t.Errorf("GET /api/editing: %v", got)
		}
	}
}

// TestEditorsFileReloads: a token added or revoked in the file counts from
// the next request, without a restart; a file that stops reading lets no
// one in until it is fixed.
func TestEditorsFileReloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "editors")
	write := func(text string, age time.Duration) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		// A modification time of its own per version: some file systems
		// keep whole seconds.
		at := time.Now().Add(-age)
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := OpenEditors(path); err == nil {
		t.Fatal("a missing file opened")
	}
	write("aaaaaaaaaaaaaaaa Ada\n", 3*time.Hour)
	f, err := OpenEditors(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		name, file string
		age        time.Duration
		who        map[string]string
		err        string
	}{
		{"as opened", "", 0, map[string]string{"aaaaaaaaaaaaaaaa": "Ada"}, ""},
		{"Ben added, Ada revoked", "bbbbbbbbbbbbbbbb Ben\n", 2 * time.Hour, map[string]string{"aaaaaaaaaaaaaaaa": "", "bbbbbbbbbbbbbbbb": "Ben"}, ""},
		{"broken mid-edit", "bbbbbbbbbbbbbbbb\n", time.Hour, nil, "the editor's name"},
		{"fixed", "bbbbbbbbbbbbbbbb Ben Jones\n", 0, map[string]string{"bbbbbbbbbbbbbbbb": "Ben Jones"}, ""},
	} {
		if step.file != "" {
			write(step.file, step.age)
		}
		eds, err := f.Current()
		if step.err != "" {
			if err == nil || !strings.Contains(err.Error(), step.err) {
				t.Errorf("%s: %v, want an error saying %q", step.name, err, step.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		for token, want := range step.who {
			if got, ok := eds.who(token); got != want || ok != (want != "") {
				t.Errorf("%s: who(%q) = %q, %v; want %q", step.name, token, got, ok, want)
			}
		}
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Current(); err == nil {
		t.Error("the editors file is gone, and editors are still known")
	}
}

// TestCorrectionsRateLimit: each editor has a bucket of corrections; an
// empty one answers 429 with Retry-After and sends nothing, and leaves the
// other editors alone.
func TestCorrectionsRateLimit(t *testing.T) {
	ix, eds := editingSetup(t, "k9R2x7Qp4Lm8Zt3W night desk\nQ7w3Rt8Zp2Lk5Xm9 day desk\n")
	sent := 0
	srv := httptest.NewServer(NewHandler(ix, nil, nil, func(h *handler) {
		h.edit = &editing{editors: func() (*Editors, error) { return eds, nil }, burst: 2, every: time.Hour,
			send: func(_ context.Context, c story.Correction) (corrections.Outcome, error) {
				sent++
				return corrections.Outcome{Correction: c, Refused: "already one story"}, nil
			}}
	}))
	defer srv.Close()
	post := func(token, body string) (int, string, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/corrections", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Retry-After"), string(b)
	}
	const merge = `{"op":"merge","stories":["a","b"]}`
	for _, tc := range []struct {
		token, body string
		status      int
		says        string
	}{
		{"k9R2x7Qp4Lm8Zt3W", merge, http.StatusUnprocessableEntity, "refused"},
		// A request that is no correction takes nothing from the bucket.
		{"k9R2x7Qp4Lm8Zt3W", `{"op":"merge","stories":["a"]}`, http.StatusBadRequest, "at least two"},
		{"k9R2x7Qp4Lm8Zt3W", merge, http.StatusUnprocessableEntity, "refused"},
		{"k9R2x7Qp4Lm8Zt3W", merge, http.StatusTooManyRequests, "too many corrections from night desk"},
		{"Q7w3Rt8Zp2Lk5Xm9", merge, http.StatusUnprocessableEntity, "refused"},
	} {
		status, retry, body := post(tc.token, tc.body)
		if status != tc.status || !strings.Contains(body, tc.says) {
			t.Errorf("%d %s; want %d saying %q", status, body, tc.status, tc.says)
		}
		if status == http.StatusTooManyRequests {
			if n, err := strconv.Atoi(retry); err != nil || n < 3000 || n > 3600 {
				t.Errorf("Retry-After %q, want the seconds until the bucket refills (up to an hour)", retry)
			}
		}
	}
	if sent != 3 {
		t.Errorf("%d corrections sent, want 3 (the refused one never left)", sent)
	}
}

// editingSetup gives the correction routes' tests an in-memory index,
// closed with the test, and the editors listed in file.
func editingSetup(t *testing.T, file string) (*index.Index, *Editors) {
	t.Helper()
	ix, err := index.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	eds, err := ParseEditors(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	return ix, eds
}
