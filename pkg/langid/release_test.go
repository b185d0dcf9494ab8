package langid

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestModelPagesFound checks the mirror of embed.FS's layout: the spans it
// finds must be the bytes ReadFile returns.
func TestModelPagesFound(t *testing.T) {
	spans := modelSpans()
	if len(spans) < 75 {
		t.Fatalf("found %d model files, want at least 75", len(spans))
	}
	want, err := linguaModels.ReadFile(modelPath("en", 3))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range spans {
		if s == string(want) {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("the English trigram model's bytes are not among the spans found")
	}
}

// rssFileKB reads the file-backed part of this process's resident memory.
func rssFileKB(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Skip("no RssFile line in /proc/self/status")
	return 0
}

func TestReleaseModelPages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("madvise is used on Linux only")
	}
	d, err := New(Config{Languages: []string{All}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Preload(); err != nil {
		t.Fatal(err)
	}
	before := rssFileKB(t)
	if err := ReleaseModelPages(); err != nil {
		t.Fatal(err)
	}
	after := rssFileKB(t)
	t.Logf("file-backed RSS %d → %d MB", before/1024, after/1024)
	if before-after < 20*1024 {
		t.Errorf("file-backed RSS fell by %d KB, want at least 20 MB", before-after)
	}
	// The detector keeps working, and a new one reads the models back.
	if res, err := d.Detect("Le ministre de l'Intérieur a réuni les préfets place Beauvau."); err != nil || res.Lang != "fr" {
		t.Errorf("after release: %+v, %v", res, err)
	}
	d2, err := New(Config{Languages: []string{"it", "fr", "en"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := d2.Detect("Il ministro dell'Interno ha convocato i prefetti al Viminale."); err != nil || res.Lang != "it" {
		t.Errorf("new detector after release: %+v, %v", res, err)
	}
}
