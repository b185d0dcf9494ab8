// Package deploy holds NATS and deployment configuration; this test checks
// what can be checked without a container engine.
package deploy

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/nats-io/nats-server/v2/server"
)

// TestNATSConfigs parses every NATS configuration the way `nats-server -t` does.
func TestNATSConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("nats", "*.conf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no NATS configs found: %v", err)
	}
	for _, f := range files {
		opts, err := server.ProcessConfigFile(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if !opts.JetStream {
			t.Errorf("%s: JetStream is not enabled", f)
		}
		if opts.MaxPayload < 8<<20 {
			t.Errorf("%s: max_payload %d is below the 8 MB pages need", f, opts.MaxPayload)
		}
	}
}

// TestManifestsParse checks that every Kubernetes manifest and the compose
// file are well-formed YAML with the fields their tools require.
func TestManifestsParse(t *testing.T) {
	kinds := map[string]int{}
	for _, d := range k8sDocuments(t) {
		var doc struct {
			APIVersion string `yaml:"apiVersion"`
			Kind       string `yaml:"kind"`
			Metadata   struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
			Spec map[string]any `yaml:"spec"`
		}
		if err := d.node.Decode(&doc); err != nil {
			t.Fatalf("%s: %v", d.file, err)
		}
		if doc.APIVersion == "" || doc.Kind == "" || doc.Metadata.Name == "" || doc.Spec == nil {
			t.Errorf("%s: document lacks apiVersion, kind, metadata.name or spec: %+v", d.file, doc)
		}
		kinds[doc.Kind]++
	}
	if kinds["Deployment"] < 4 || kinds["StatefulSet"] < 1 || kinds["Service"] < 1 {
		t.Errorf("manifest kinds %v: want a Deployment per stage (4), the api StatefulSet and a Service", kinds)
	}

	data, err := os.ReadFile(filepath.Join("docker", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Command []string `yaml:"command"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, s := range []string{"nats1", "nats2", "nats3", "fetcher", "extractor", "langdetect", "cluster", "api"} {
		if _, ok := compose.Services[s]; !ok {
			t.Errorf("docker-compose.yml has no service %q", s)
		}
	}
	if df, err := os.ReadFile(filepath.Join("docker", "Dockerfile")); err != nil || !bytes.Contains(df, []byte("AS build")) {
		t.Errorf("Dockerfile missing or not multi-stage: %v", err)
	}
}

// TestManifestsBoundMemory checks that every container has a memory limit
// and a GOMEMLIMIT under it, so that the Go collector works harder as the
// heap nears the limit instead of the container being killed at it.
func TestManifestsBoundMemory(t *testing.T) {
	containers := 0
	for _, d := range k8sDocuments(t) {
		var doc struct {
			Spec struct {
				Template struct {
					Spec struct {
						Containers []struct {
							Name string `yaml:"name"`
							Env  []struct {
								Name  string `yaml:"name"`
								Value string `yaml:"value"`
							} `yaml:"env"`
							Resources struct {
								Limits map[string]string `yaml:"limits"`
							} `yaml:"resources"`
						} `yaml:"containers"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		}
		if err := d.node.Decode(&doc); err != nil {
			t.Fatalf("%s: %v", d.file, err)
		}
		for _, c := range doc.Spec.Template.Spec.Containers {
			containers++
			limit, err := quantityBytes(c.Resources.Limits["memory"])
			if err != nil {
				t.Errorf("%s: container %s: memory limit: %v", d.file, c.Name, err)
				continue
			}
			var soft int64 = -1
			for _, e := range c.Env {
				if e.Name == "GOMEMLIMIT" {
					if soft, err = quantityBytes(e.Value); err != nil {
						t.Errorf("%s: container %s: GOMEMLIMIT: %v", d.file, c.Name, err)
					}
				}
			}
			if soft <= 0 || soft > limit*9/10 {
				t.Errorf("%s: container %s: GOMEMLIMIT %d bytes, want set and at most 90%% of the %d-byte limit", d.file, c.Name, soft, limit)
			}
		}
	}
	if containers < 5 {
		t.Errorf("found %d containers, want one per stage and the api", containers)
	}
}

// quantityBytes reads the binary-suffixed sizes the manifests use: Kubernetes'
// "512Mi", "8Gi" and Go's "400MiB", "6GiB".
func quantityBytes(q string) (int64, error) {
	q = strings.TrimSuffix(strings.TrimSpace(q), "B")
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}} {
		if n, ok := strings.CutSuffix(q, u.suffix); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				return 0, fmt.Errorf("size %q: %w", q, err)
			}
			return v * u.mult, nil
		}
	}
	return 0, fmt.Errorf("size %q: want a number with Ki, Mi or Gi", q)
}

// k8sDocument is one YAML document of a Kubernetes manifest.
type k8sDocument struct {
	file string
	node yaml.Node
}

// k8sDocuments reads every document of every manifest under k8s/.
func k8sDocuments(t *testing.T) []k8sDocument {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("k8s", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no Kubernetes manifests found")
	}
	var docs []k8sDocument
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			d := k8sDocument{file: f}
			if err := dec.Decode(&d.node); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			docs = append(docs, d)
		}
	}
	return docs
}
