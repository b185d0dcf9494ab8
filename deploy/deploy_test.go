// Package deploy holds NATS and deployment configuration; this test checks
// what can be checked without a container engine.
package deploy

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
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
	files, _ := filepath.Glob(filepath.Join("k8s", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no Kubernetes manifests found")
	}
	kinds := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc struct {
				APIVersion string `yaml:"apiVersion"`
				Kind       string `yaml:"kind"`
				Metadata   struct {
					Name string `yaml:"name"`
				} `yaml:"metadata"`
				Spec map[string]any `yaml:"spec"`
			}
			if err := dec.Decode(&doc); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if doc.APIVersion == "" || doc.Kind == "" || doc.Metadata.Name == "" || doc.Spec == nil {
				t.Errorf("%s: document lacks apiVersion, kind, metadata.name or spec: %+v", f, doc)
			}
			kinds[doc.Kind]++
		}
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
