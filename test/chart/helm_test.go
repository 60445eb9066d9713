// Package chart tests the Helm chart in charts/redress: rendering, the drift
// checks against the generated CRDs and RBAC in config/, and an install,
// upgrade and uninstall on a real API server with the manager running under
// nothing but the chart's ServiceAccount permissions.
package chart

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/redress-operator/redress/internal/testenv"
)

var (
	root     = testenv.RepoRoot()
	chartDir = filepath.Join(root, "charts", "redress")
)

// helmBinary is the pinned helm the Makefile builds (REDRESS_HELM). The tests
// fail, never skip, without it: the chart is part of the product.
func helmBinary(t testing.TB) string {
	t.Helper()
	path := os.Getenv("REDRESS_HELM")
	if path == "" {
		path = filepath.Join(root, "bin", "helm-v3.22.0")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no helm at %s (set REDRESS_HELM, or run `make test` which builds it): %v", path, err)
	}
	return path
}

// helmHome keeps helm's config, cache and data out of the user's home.
var helmHome string

func helmEnv() []string {
	env := os.Environ()
	if helmHome != "" {
		env = append(env,
			"HELM_CONFIG_HOME="+filepath.Join(helmHome, "config"),
			"HELM_CACHE_HOME="+filepath.Join(helmHome, "cache"),
			"HELM_DATA_HOME="+filepath.Join(helmHome, "data"),
		)
	}
	return env
}

// helm runs the helm CLI and returns its combined output.
func helm(t testing.TB, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, helmBinary(t), args...)
	cmd.Env = helmEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func mustHelm(t testing.TB, args ...string) string {
	t.Helper()
	out, err := helm(t, args...)
	if err != nil {
		t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// rendered is the output of helm template, by kind and name.
type rendered []*unstructured.Unstructured

// render runs helm template for a release "redress" in redress-system with
// extra helm arguments (--set ..., -f ...).
func render(t testing.TB, args ...string) rendered {
	t.Helper()
	out := mustHelm(t, append([]string{"template", "redress", chartDir, "--namespace", "redress-system"}, args...)...)
	objs, err := decodeAll([]byte(out))
	if err != nil {
		t.Fatalf("parsing helm template output: %v", err)
	}
	return objs
}

func decodeAll(data []byte) (rendered, error) {
	var objs rendered
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			if err == io.EOF {
				return objs, nil
			}
			return nil, err
		}
		if m == nil {
			continue
		}
		objs = append(objs, &unstructured.Unstructured{Object: m})
	}
}

func (r rendered) ofKind(kind string) rendered {
	var out rendered
	for _, o := range r {
		if o.GetKind() == kind {
			out = append(out, o)
		}
	}
	return out
}

func (r rendered) get(t testing.TB, kind, namespace, name string) *unstructured.Unstructured {
	t.Helper()
	for _, o := range r {
		if o.GetKind() == kind && o.GetName() == name && o.GetNamespace() == namespace {
			return o
		}
	}
	t.Fatalf("no %s %s/%s rendered; have %s", kind, namespace, name, r.names())
	return nil
}

func (r rendered) has(kind, namespace, name string) bool {
	for _, o := range r {
		if o.GetKind() == kind && o.GetName() == name && o.GetNamespace() == namespace {
			return true
		}
	}
	return false
}

func (r rendered) names() string {
	var s []string
	for _, o := range r {
		s = append(s, fmt.Sprintf("%s %s/%s", o.GetKind(), o.GetNamespace(), o.GetName()))
	}
	return strings.Join(s, ", ")
}

// into converts an unstructured object to a typed one.
func into(t testing.TB, o *unstructured.Unstructured, typed any) {
	t.Helper()
	data, err := yaml.Marshal(o.Object)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, typed); err != nil {
		t.Fatalf("%s %s: %v", o.GetKind(), o.GetName(), err)
	}
}
