package api

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/time/rate"

	"github.com/newsdedup/newsdedup/pkg/story"
	"github.com/newsdedup/newsdedup/services/corrections"
)

// Editors are the people who may correct stories through the API, each
// known by a secret token sent as "Authorization: Bearer TOKEN". Their
// name is the `by` of their corrections: who did what shows on every
// event, feed and story page.
type Editors struct {
	list []editor
}

type editor struct {
	name string
	hash [sha256.Size]byte // of the token: compared in constant time
}

// minTokenLen keeps tokens out of guessing range: 16 characters of a
// random token are 64 bits or more.
const minTokenLen = 16

// LoadEditors reads an editors file (ParseEditors).
func LoadEditors(path string) (*Editors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("editors: %w", err)
	}
	defer f.Close()
	eds, err := ParseEditors(f)
	if err != nil {
		return nil, fmt.Errorf("editors %s: %w", path, err)
	}
	return eds, nil
}

// EditorsFile is an editors file that is read again whenever it changes
// (its size or modification time), so that an editor added, or a token
// revoked, takes effect without a restart.
type EditorsFile struct {
	path  string
	mu    sync.Mutex
	eds   *Editors
	err   error // the last read's: no editor is known until the file is fixed
	size  int64
	mtime time.Time
}

// OpenEditors reads the editors file at path; it must hold a valid list.
func OpenEditors(path string) (*EditorsFile, error) {
	f := &EditorsFile{path: path}
	if _, err := f.Current(); err != nil {
		return nil, err
	}
	return f, nil
}

// Current gives the file's editors, reading it again if it changed. A file
// that no longer reads (mid-edit, or broken) fails closed: no editor is
// known until it reads again.
func (f *EditorsFile) Current() (*Editors, error) {
	fi, err := os.Stat(f.path)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case err != nil:
		f.err = fmt.Errorf("editors: %w", err)
		f.size, f.mtime = -1, time.Time{}
	case fi.Size() != f.size || !fi.ModTime().Equal(f.mtime):
		f.size, f.mtime = fi.Size(), fi.ModTime()
		f.eds, f.err = LoadEditors(f.path)
	}
	if f.err != nil {
		return nil, f.err
	}
	return f.eds, nil
}

// ParseEditors reads one editor a line: the token (at least 16 characters,
// no spaces), then the editor's name ("k9R2… night desk"). Blank lines and
// lines starting with # are skipped; a token given twice is refused, as
// it could not tell its editors apart.
func ParseEditors(r io.Reader) (*Editors, error) {
	eds := &Editors{}
	seen := map[[sha256.Size]byte]bool{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		token, name, _ := strings.Cut(line, " ")
		name = strings.TrimSpace(name)
		switch {
		case len(token) < minTokenLen:
			return nil, fmt.Errorf("line %d: a token of at least %d characters comes first", n, minTokenLen)
		case name == "":
			return nil, fmt.Errorf("line %d: the editor's name follows the token", n)
		}
		h := sha256.Sum256([]byte(token))
		if seen[h] {
			return nil, fmt.Errorf("line %d: a token already given", n)
		}
		seen[h] = true
		eds.list = append(eds.list, editor{name: name, hash: h})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(eds.list) == 0 {
		return nil, errors.New("no editor listed")
	}
	return eds, nil
}

// who gives the name of the editor whose token this is. Every listed
// token is compared, each in constant time, so the answer's timing tells
// nothing of them.
func (e *Editors) who(token string) (string, bool) {
	if e == nil || token == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(token))
	name, found := "", false
	for _, ed := range e.list {
		if subtle.ConstantTimeCompare(h[:], ed.hash[:]) == 1 {
			name, found = ed.name, true
		}
	}
	return name, found
}

// correctionWait is how long POST /api/corrections waits for the
// clustering stage's answer before saying the correction is queued.
const correctionWait = 10 * time.Second

// sendFunc sends a correction and waits for what becomes of it.
type sendFunc func(ctx context.Context, c story.Correction) (corrections.Outcome, error)

// editing is what the correction routes need; nil when editing is off.
type editing struct {
	editors func() (*Editors, error)
	send    sendFunc
	// burst and every bound each editor's corrections (defaultBurst and
	// defaultEvery when zero); limits holds their buckets, by name, when
	// the shared ones cannot be reached.
	burst  int
	every  time.Duration
	mu     sync.Mutex
	limits map[string]*rate.Limiter
	// js, when set, holds the buckets every API process shares
	// (BucketEditorLimits), opened on first use into shared.
	js       jetstream.JetStream
	replicas int
	shared   *sharedLimits
}

// bounds are the burst and refill interval of every editor's bucket.
func (e *editing) bounds() (int, time.Duration) {
	burst, every := e.burst, e.every
	if burst <= 0 {
		burst = defaultBurst
	}
	if every <= 0 {
		every = defaultEvery
	}
	return burst, every
}

// An editor may send defaultBurst corrections at once, then one per
// defaultEvery: far more than a desk corrects by hand, and a runaway script
// holding a token cannot flood the clustering stage with them.
const (
	defaultBurst = 20
	defaultEvery = 3 * time.Second
)

// allow takes one correction from the editor's bucket; when it is empty,
// it says how long until the next one is allowed. The bucket is the one
// every API process shares; while that cannot be reached, this process's
// own, so that corrections still flow, each process limiting alone.
func (e *editing) allow(ctx context.Context, name string, now time.Time, log *slog.Logger) (bool, time.Duration) {
	if e.js != nil {
		ctx, cancel := context.WithTimeout(ctx, limitsTimeout)
		defer cancel()
		s, err := e.sharedLimits(ctx)
		if err == nil {
			var ok bool
			var wait time.Duration
			if ok, wait, err = s.allow(ctx, name, now); err == nil {
				return ok, wait
			}
		}
		log.Warn("api: the editors' shared limits cannot be reached; this process limits alone", "err", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	l, ok := e.limits[name]
	if !ok {
		if e.limits == nil {
			e.limits = make(map[string]*rate.Limiter)
		}
		burst, every := e.bounds()
		l = rate.NewLimiter(rate.Every(every), burst)
		e.limits[name] = l
	}
	r := l.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limitsTimeout bounds the wait for the shared buckets: past it, the
// process's own bucket limits the correction.
const limitsTimeout = 2 * time.Second

// sharedLimits opens the shared buckets once; a failure is tried again at
// the next correction.
func (e *editing) sharedLimits(ctx context.Context) (*sharedLimits, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.shared == nil {
		burst, every := e.bounds()
		s, err := openSharedLimits(ctx, e.js, burst, every, e.replicas)
		if err != nil {
			return nil, err
		}
		e.shared = s
	}
	return e.shared, nil
}

// WithEditing lets the editors the file lists correct stories (POST
// /api/corrections); the corrections go to the clustering stage over js,
// and the editors' rate limits live there too, in a bucket of replicas
// copies shared by every API process. Without it the route answers 403.
func WithEditing(js jetstream.JetStream, eds *EditorsFile, replicas int) Option {
	return func(h *handler) {
		h.edit = &editing{editors: eds.Current, js: js, replicas: replicas,
			send: func(ctx context.Context, c story.Correction) (corrections.Outcome, error) {
				return corrections.Send(ctx, js, c, correctionWait)
			}}
	}
}

// WithCorrectionLog serves the latest corrections, read from js
// (GET /api/corrections): the page's "Corrections" view.
func WithCorrectionLog(js jetstream.JetStream) Option {
	return func(h *handler) {
		h.corrLog = func(ctx context.Context, limit int) ([]corrections.Entry, error) {
			return corrections.Recent(ctx, js, limit)
		}
	}
}

// Bounds of GET /api/corrections' limit.
const (
	defaultCorrections = 50
	maxCorrections     = 500
)

// correctionLog lists the latest corrections, newest first, with who
// asked, why, and what became of each.
func (h *handler) correctionLog(w http.ResponseWriter, r *http.Request) {
	limit := defaultCorrections
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxCorrections {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit: a number from 1 to %d", maxCorrections))
			return
		}
		limit = n
	}
	if h.corrLog == nil {
		writeJSON(w, http.StatusOK, map[string]any{"corrections": []corrections.Entry{}})
		return
	}
	list, err := h.corrLog(r.Context(), limit)
	if err != nil {
		h.log.Error("api: corrections log", "err", err)
		writeError(w, http.StatusServiceUnavailable, "the corrections could not be read; try again")
		return
	}
	if list == nil {
		list = []corrections.Entry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"corrections": list})
}

// editingState answers whether this server takes corrections, so the
// search page shows its editing controls only where they can work.
func (h *handler) editingState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]bool{"enabled": h.edit != nil})
}

// correctionRequest is the body of POST /api/corrections.
type correctionRequest struct {
	Op       string   `json:"op"`
	Stories  []string `json:"stories"`
	Articles []string `json:"articles"`
	Note     string   `json:"note"`
}

// maxCorrectionBody bounds a correction request: ids and a note.
const maxCorrectionBody = 64 << 10

// correct sends an editor's merge or split to the clustering stage and
// answers with what became of it: 200 applied, 422 refused (the stage's
// reason), 202 still queued after correctionWait.
func (h *handler) correct(w http.ResponseWriter, r *http.Request) {
	if h.edit == nil {
		writeError(w, http.StatusForbidden, "editing is not enabled on this server: start it with --editors FILE")
		return
	}
	eds, err := h.edit.editors()
	if err != nil {
		h.log.Error("api: editors file", "err", err)
		writeError(w, http.StatusServiceUnavailable, "the editors file cannot be read: no correction is taken until it is fixed")
		return
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	name, known := eds.who(strings.TrimSpace(token))
	if !strings.EqualFold(scheme, "Bearer") || !known {
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsdedup editors"`)
		writeError(w, http.StatusUnauthorized, "an editor's token is needed: Authorization: Bearer TOKEN")
		return
	}
	var req correctionRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCorrectionBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "the body is a JSON object {op, stories | articles, note}: "+err.Error())
		return
	}
	c := story.Correction{V: story.CorrectionVersion, ID: corrections.NewID(), Op: req.Op, Stories: req.Stories, Articles: req.Articles,
		By: name, Note: strings.TrimSpace(req.Note), At: time.Now().UTC()}
	if err := c.Check(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if ok, wait := h.edit.allow(r.Context(), name, time.Now(), h.log); !ok {
		secs := int(wait.Round(time.Second) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("too many corrections from %s: the next one is taken in %ds", name, max(secs, 1)))
		return
	}
	out, err := h.edit.send(r.Context(), c)
	if err != nil && r.Context().Err() != nil {
		// The client left while the answer was awaited: the correction
		// may well be on its way.
		h.log.Info("api: correction's client left before the answer", "id", c.ID, "by", c.By)
		return
	}
	if err != nil {
		h.log.Error("api: correction not sent", "id", c.ID, "err", err)
		writeError(w, http.StatusServiceUnavailable, "the correction could not be sent; try again")
		return
	}
	h.log.Info("api: correction", "id", c.ID, "op", c.Op, "by", c.By, "refused", out.Refused, "answered", out.Answered())
	resp := map[string]any{"correction": c.ID, "op": c.Op, "by": c.By}
	switch {
	case out.Refused != "":
		resp["error"] = "refused: " + out.Refused
		writeJSON(w, http.StatusUnprocessableEntity, resp)
	case !out.Answered():
		resp["outcome"] = "queued"
		resp["message"] = fmt.Sprintf("no answer from the clustering stage within %v: the correction stays queued and is applied in turn", correctionWait)
		writeJSON(w, http.StatusAccepted, resp)
	default:
		resp["outcome"] = "applied"
		resp["result"] = out.Result()
		resp["message"] = out.Summary()
		writeJSON(w, http.StatusOK, resp)
	}
}
