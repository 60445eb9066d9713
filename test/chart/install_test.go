package chart

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/controllers"
	"github.com/redress-operator/redress/internal/casework"
	"github.com/redress-operator/redress/internal/intake"
	"github.com/redress-operator/redress/internal/scheme"
	"github.com/redress-operator/redress/internal/testenv"
)

// The control plane for the install tests: a bare kube-apiserver and etcd
// with NO Redress CRDs, so the chart is what installs them.
var (
	adminConfig *rest.Config
	k8s         client.Client
	kubeconfig  string
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	ctrllog.SetLogger(logr.Discard())
	dir, err := os.MkdirTemp("", "redress-chart-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	helmHome = dir

	assets := testenv.AssetsDir()
	if _, err := os.Stat(filepath.Join(assets, "kube-apiserver")); err != nil {
		fmt.Fprintf(os.Stderr, "no kube-apiserver in %s: run `make envtest-assets` (or `make test`) first\n", assets)
		return 1
	}
	env := &envtest.Environment{BinaryAssetsDirectory: assets, Scheme: scheme.New()}
	adminConfig, err = env.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the control plane:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	s := scheme.New()
	if err := apiextensionsv1.AddToScheme(s); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if k8s, err = client.New(adminConfig, client.Options{Scheme: s}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// helm talks to the API server as a cluster admin, like a platform team.
	admin, err := env.AddUser(envtest.User{Name: "platform-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	data, err := admin.KubeConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kubeconfig, data, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

const (
	releaseNS   = "redress-system"
	casesNS     = "complaints"
	intakeToken = "tok-complaints-0123456789"
	crdPolicy   = "policies.complaints.redress.dev"
	crdComplain = "complaints.complaints.redress.dev"
)

// poll waits for cond, failing the test at the deadline with what it last saw.
func poll(t *testing.T, timeout time.Duration, what string, cond func(ctx context.Context) (bool, error)) {
	t.Helper()
	var last error
	err := wait.PollUntilContextTimeout(context.Background(), 50*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		ok, err := cond(ctx)
		if errors.Is(err, errStop) {
			return false, err
		}
		if err != nil {
			last = err
			return false, nil
		}
		return ok, nil
	})
	if err != nil {
		t.Fatalf("waiting for %s: %v (last error: %v)", what, err, last)
	}
}

func createNamespace(t *testing.T, name string, labels map[string]string) {
	t.Helper()
	if err := k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

func crdExists(t *testing.T, name string) bool {
	t.Helper()
	var crd apiextensionsv1.CustomResourceDefinition
	err := k8s.Get(context.Background(), client.ObjectKey{Name: name}, &crd)
	if apierrors.IsNotFound(err) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}

// TestInstallUpgradeUninstall installs the chart on a bare API server, runs
// the manager with only the chart's ServiceAccount permissions, upgrades,
// uninstalls and checks that the CRDs and every case survive.
func TestInstallUpgradeUninstall(t *testing.T) {
	ctx := context.Background()
	// The release namespace enforces the restricted Pod Security Standard.
	createNamespace(t, releaseNS, map[string]string{
		"pod-security.kubernetes.io/enforce":         "restricted",
		"pod-security.kubernetes.io/enforce-version": "latest",
	})
	createNamespace(t, casesNS, nil)
	helmArgs := func(args ...string) []string {
		return append(args, "--kubeconfig", kubeconfig, "--namespace", releaseNS)
	}
	values := writeValues(t, fmt.Sprintf(`
intake:
  token:
    create: true
    data:
      %s: %q
`, casesNS, intakeToken))

	t.Run("a values typo is refused at install time", func(t *testing.T) {
		out, err := helm(t, helmArgs("install", "redress", chartDir, "-f", values, "--set", "replicaCounts=2")...)
		if err == nil || !strings.Contains(out, "replicaCounts") {
			t.Fatalf("install with a typo: err = %v\n%s", err, out)
		}
		if out, err := helm(t, helmArgs("status", "redress")...); err == nil {
			t.Errorf("a release exists after the refused install:\n%s", out)
		}
		if crdExists(t, crdComplain) {
			t.Error("the refused install created a CRD")
		}
	})

	notes := mustHelm(t, helmArgs("install", "redress", chartDir, "-f", values)...)

	t.Run("install creates both CRDs, kept on uninstall", func(t *testing.T) {
		for _, name := range []string{crdPolicy, crdComplain} {
			poll(t, 20*time.Second, name+" Established", func(ctx context.Context) (bool, error) {
				var crd apiextensionsv1.CustomResourceDefinition
				if err := k8s.Get(ctx, client.ObjectKey{Name: name}, &crd); err != nil {
					return false, err
				}
				if crd.Annotations["helm.sh/resource-policy"] != "keep" {
					return false, fmt.Errorf("%s lacks helm.sh/resource-policy: keep", name)
				}
				for _, c := range crd.Status.Conditions {
					if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
						return true, nil
					}
				}
				return false, nil
			})
		}
	})

	t.Run("NOTES tell how to submit a first complaint and watch it", func(t *testing.T) {
		for _, want := range []string{
			"kind: Policy", "kind: Complaint",
			"/intake/v1/namespaces/complaints/complaints",
			"kubectl -n complaints get complaints --watch",
			"kubectl -n complaints wait --for=condition=Acknowledged complaint/first-complaint",
			"kubectl complaint -n complaints describe first-complaint",
		} {
			if !strings.Contains(notes, want) {
				t.Errorf("NOTES lack %q:\n%s", want, notes)
			}
		}
		// The Policy and Complaint the NOTES show are valid (server-side dry run).
		docs := strings.Split(notes, "<<'YAML'\n")[1:]
		if len(docs) != 2 {
			t.Fatalf("want 2 manifests in the NOTES, found %d", len(docs))
		}
		for _, doc := range docs {
			body, _, _ := strings.Cut(doc, "\n     YAML")
			objs, err := decodeAll([]byte(dedent(body)))
			if err != nil || len(objs) != 1 {
				t.Fatalf("NOTES manifest does not parse (%v):\n%s", err, body)
			}
			if err := k8s.Create(ctx, objs[0], client.DryRunAll); err != nil {
				t.Errorf("the NOTES' %s is refused: %v", objs[0].GetKind(), err)
			}
		}
	})

	dep := getDeployment(t)

	t.Run("the manager pod passes the restricted Pod Security Standard", func(t *testing.T) {
		// No kubelet here, so have PodSecurity admission judge the pod the
		// Deployment would create (server-side dry run).
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: releaseNS, GenerateName: "redress-", Labels: dep.Spec.Template.Labels},
			Spec:       dep.Spec.Template.Spec,
		}
		if err := k8s.Create(ctx, pod, client.DryRunAll); err != nil {
			t.Errorf("the manager's pod is refused in a restricted namespace: %v", err)
		}
		// Control: the namespace really enforces it.
		bad := pod.DeepCopy()
		bad.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = ptr.To(true)
		if err := k8s.Create(ctx, bad, client.DryRunAll); err == nil || !strings.Contains(err.Error(), "PodSecurity") {
			t.Errorf("a pod allowing privilege escalation: err = %v, want a PodSecurity refusal", err)
		}
	})

	var first *v1.Complaint
	t.Run("the manager runs on the chart's RBAC alone: reconciles and serves intake", func(t *testing.T) {
		m := startManager(t, dep)
		defer m.stop(t)
		createPolicy(t)
		first = createComplaint(t, "first-complaint")
		waitForReference(t, first)

		// A case worker with the chart's case-worker role acknowledges it with
		// the kubectl plugin; a viewer may not; the manager sees the entry.
		bind(t, "alice", "redress-case-worker")
		bind(t, "victor", "redress-viewer")
		if out, err := kubectlComplaint(t, "--as", "alice", "-n", casesNS, "acknowledge", first.Name); err != nil {
			t.Fatalf("kubectl complaint acknowledge as a case worker: %v\n%s", err, out)
		}
		if _, err := kubectlComplaint(t, "--as", "victor", "-n", casesNS, "note", first.Name, "--summary", "x"); err == nil || !strings.Contains(err.Error(), "refused to let you") {
			t.Errorf("a viewer appending: err = %v, want a refusal", err)
		}
		poll(t, 30*time.Second, "Acknowledged=True after the plugin's entry", func(ctx context.Context) (bool, error) {
			if err := k8s.Get(ctx, client.ObjectKeyFromObject(first), first); err != nil {
				return false, err
			}
			return apimeta.IsStatusConditionTrue(first.Status.Conditions, v1.ConditionAcknowledged), nil
		})
		if a := first.Spec.Actions; len(a) != 1 || a[0].By != "alice" {
			t.Errorf("case log after the plugin: %+v", a)
		}

		name := submitThroughIntake(t, m.intakeURL)
		waitForReference(t, &v1.Complaint{ObjectMeta: metav1.ObjectMeta{Namespace: casesNS, Name: name}})
		var sec corev1.Secret
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: releaseNS, Name: "redress-intake-tracking-key"}, &sec); err != nil {
			t.Errorf("intake did not create its tracking-key Secret under the chart's RBAC: %v", err)
		}
	})

	t.Run("helm upgrade to two replicas turns on leader election", func(t *testing.T) {
		mustHelm(t, helmArgs("upgrade", "redress", chartDir, "--reuse-values", "--set", "replicas=2")...)
		dep = getDeployment(t)
		args := dep.Spec.Template.Spec.Containers[0].Args
		if *dep.Spec.Replicas != 2 || !slices.Contains(args, "--leader-elect") {
			t.Fatalf("after upgrade: replicas %d, args %v", *dep.Spec.Replicas, args)
		}
		for _, name := range []string{crdPolicy, crdComplain} {
			if !crdExists(t, name) {
				t.Errorf("upgrade removed CRD %s", name)
			}
		}
		m := startManager(t, dep)
		defer m.stop(t)
		select {
		case <-m.mgr.Elected():
		case <-time.After(20 * time.Second):
			t.Fatal("the manager did not win leader election with the chart's leader election Role")
		}
		waitForReference(t, createComplaint(t, "after-upgrade"))
	})

	t.Run("an upgrade that stops managing the CRDs keeps them", func(t *testing.T) {
		mustHelm(t, helmArgs("upgrade", "redress", chartDir, "--reuse-values", "--set", "crds.enabled=false")...)
		for _, name := range []string{crdPolicy, crdComplain} {
			if !crdExists(t, name) {
				t.Errorf("upgrade with crds.enabled=false deleted CRD %s", name)
			}
		}
		mustHelm(t, helmArgs("upgrade", "redress", chartDir, "--reuse-values", "--set", "crds.enabled=true")...)
	})

	t.Run("helm uninstall keeps the CRDs and every case", func(t *testing.T) {
		var before v1.ComplaintList
		if err := k8s.List(ctx, &before, client.InNamespace(casesNS)); err != nil {
			t.Fatal(err)
		}
		out := mustHelm(t, helmArgs("uninstall", "redress")...)
		if !strings.Contains(out, "resource policy") {
			t.Logf("helm uninstall output:\n%s", out)
		}
		for _, name := range []string{crdPolicy, crdComplain} {
			if !crdExists(t, name) {
				t.Errorf("uninstall deleted CRD %s", name)
			}
		}
		var after v1.ComplaintList
		if err := k8s.List(ctx, &after, client.InNamespace(casesNS)); err != nil {
			t.Fatal(err)
		}
		if len(before.Items) < 3 || len(after.Items) != len(before.Items) {
			t.Errorf("%d complaints before uninstall, %d after (want the same, at least 3)", len(before.Items), len(after.Items))
		}
		for _, c := range after.Items {
			if c.Status.Reference == "" {
				t.Errorf("complaint %s lost its reference", c.Name)
			}
		}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: casesNS, Name: "standard"}, &v1.Policy{}); err != nil {
			t.Errorf("the Policy is gone after uninstall: %v", err)
		}
		if err := k8s.Get(ctx, client.ObjectKey{Name: "redress-manager"}, &rbacv1.ClusterRole{}); !apierrors.IsNotFound(err) {
			t.Errorf("the manager ClusterRole survived uninstall: %v", err)
		}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: releaseNS, Name: "redress"}, &appsv1.Deployment{}); !apierrors.IsNotFound(err) {
			t.Errorf("the Deployment survived uninstall: %v", err)
		}
	})

	t.Run("reinstall adopts the kept CRDs", func(t *testing.T) {
		mustHelm(t, helmArgs("install", "redress", chartDir, "-f", values)...)
		mustHelm(t, helmArgs("uninstall", "redress")...)
		if !crdExists(t, crdComplain) {
			t.Error("CRD gone after a second install and uninstall")
		}
	})
}

// TestNamespacedInstall installs a second release that watches one namespace
// (no CRDs: they belong to the cluster-wide release) and runs the manager on
// its Roles alone: it reconciles there and may not even read elsewhere.
func TestNamespacedInstall(t *testing.T) {
	ctx := context.Background()
	const ns, team, other = "redress-team-a", "team-a", "team-b"
	for _, n := range []string{ns, team, other} {
		createNamespace(t, n, nil)
	}
	if !crdExists(t, crdComplain) {
		// Run alone: install the CRDs the cluster-wide way first.
		mustHelm(t, "install", "crds", chartDir, "--kubeconfig", kubeconfig, "--namespace", "redress-crds", "--create-namespace", "--set", "rbac.create=false")
	}
	values := writeValues(t, fmt.Sprintf(`
crds: {enabled: false}
watchNamespaces: [%s]
intake:
  hmac:
    create: true
    data: {%s: "gateway-key-0123456789"}
`, team, team))
	mustHelm(t, "install", "team-a", chartDir, "--kubeconfig", kubeconfig, "--namespace", ns, "-f", values)
	defer mustHelm(t, "uninstall", "team-a", "--kubeconfig", kubeconfig, "--namespace", ns)

	var dep appsv1.Deployment
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "team-a-redress"}, &dep); err != nil {
		t.Fatal(err)
	}
	m := startManager(t, &dep)
	defer m.stop(t)

	if err := k8s.Create(ctx, policyIn(team)); err != nil {
		t.Fatal(err)
	}
	c := &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: team, Name: "namespaced"},
		Spec:       v1.ComplaintSpec{PolicyName: "standard", Channel: "Letter", Summary: "Handled by the team's own Redress"},
	}
	if err := k8s.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	waitForReference(t, c)
	poll(t, 30*time.Second, "intake's tracking-key Secret in the release namespace", func(ctx context.Context) (bool, error) {
		return true, k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "team-a-redress-intake-tracking-key"}, &corev1.Secret{})
	})

	var list v1.ComplaintList
	if err := m.client.List(ctx, &list, client.InNamespace(other)); !apierrors.IsForbidden(err) {
		t.Errorf("the namespaced manager listing complaints in %s: err = %v, want Forbidden", other, err)
	}
	if err := m.client.List(ctx, &list); !apierrors.IsForbidden(err) {
		t.Errorf("the namespaced manager listing complaints cluster-wide: err = %v, want Forbidden", err)
	}
}

func getDeployment(t *testing.T) *appsv1.Deployment {
	t.Helper()
	var dep appsv1.Deployment
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: releaseNS, Name: "redress"}, &dep); err != nil {
		t.Fatal(err)
	}
	return &dep
}

func policyIn(ns string) *v1.Policy {
	return &v1.Policy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "standard"},
		Spec: v1.PolicySpec{
			ReferencePrefix: "CASE",
			Calendar:        v1.Calendar{TimeZone: "Europe/London"},
			Stages: []v1.Stage{
				{Name: "informal", Owner: "Team Leader", AcknowledgeWithin: "2 working days", RespondWithin: "10 working days", EscalateWithin: "10 working days"},
				{Name: "formal", Owner: "Head of Service", RespondWithin: "20 working days"},
			},
		},
	}
}

func createPolicy(t *testing.T) {
	t.Helper()
	p := policyIn(casesNS)
	if err := k8s.Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	poll(t, 30*time.Second, "Policy Ready", func(ctx context.Context) (bool, error) {
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(p), p); err != nil {
			return false, err
		}
		return apimeta.IsStatusConditionTrue(p.Status.Conditions, v1.ConditionReady), nil
	})
}

func createComplaint(t *testing.T, name string) *v1.Complaint {
	t.Helper()
	c := &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: casesNS, Name: name},
		Spec:       v1.ComplaintSpec{PolicyName: "standard", Channel: "Email", Summary: "Rude reply at the front desk"},
	}
	if err := k8s.Create(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func waitForReference(t *testing.T, c *v1.Complaint) {
	t.Helper()
	poll(t, 30*time.Second, "a reference on complaint "+c.Namespace+"/"+c.Name, func(ctx context.Context) (bool, error) {
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(c), c); err != nil {
			return false, err
		}
		return c.Status.Reference != "", nil
	})
}

// submitThroughIntake files a complaint over HTTP with the token the chart's
// Secret holds and returns the new Complaint's name.
func submitThroughIntake(t *testing.T, base string) string {
	t.Helper()
	body := `{"policyName":"standard","channel":"WebForm","summary":"Rude reply","description":"At the front desk",` +
		`"complainant":{"name":"A. Person","email":"a.person@example.org"}}`
	var accepted struct{ Name, Namespace, TrackingToken string }
	poll(t, 30*time.Second, "intake to accept a complaint", func(ctx context.Context) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/intake/v1/namespaces/"+casesNS+"/complaints", strings.NewReader(body))
		if err != nil {
			return false, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+intakeToken)
		req.Header.Set("Idempotency-Key", "chart-test-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false, err
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		switch resp.StatusCode {
		case http.StatusAccepted:
			return true, json.Unmarshal(data, &accepted)
		case http.StatusServiceUnavailable: // still loading its Secrets
			return false, fmt.Errorf("503: %s", data)
		default:
			return false, errors.Join(errStop, fmt.Errorf("intake answered %d: %s", resp.StatusCode, data))
		}
	})
	if accepted.Name == "" || accepted.TrackingToken == "" {
		t.Fatalf("intake accepted without a name or tracking token: %+v", accepted)
	}
	return accepted.Name
}

var errStop = errors.New("unexpected answer")

// runningManager is the manager running in this process as the chart's
// ServiceAccount.
type runningManager struct {
	mgr       ctrl.Manager
	client    client.Client // the ServiceAccount's own, uncached
	intakeURL string
	cancel    context.CancelFunc
	done      chan error
	logs      *syncBuffer
}

// startManager runs the manager the way the chart's Deployment would: with
// the Deployment's own arguments (parsed with the manager's and intake's
// flags) and impersonating the Deployment's ServiceAccount, so only the
// chart's RBAC applies. Only the listen addresses are moved to free local
// ports.
func startManager(t *testing.T, dep *appsv1.Deployment) *runningManager {
	t.Helper()
	args := dep.Spec.Template.Spec.Containers[0].Args
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("metrics-bind-address", ":8080", "")
	fs.String("health-probe-bind-address", ":8081", "")
	fs.String("zap-log-level", "info", "")
	leaderElect := fs.Bool("leader-elect", false, "")
	leaderNS := fs.String("leader-election-namespace", "", "")
	watch := fs.String("watch-namespaces", "", "")
	fs.String("smtp-secret", "", "") // letters are not sent in these tests
	var intakeOpts intake.Options
	intakeOpts.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("the Deployment's args %v do not parse as manager flags: %v", args, err)
	}

	cfg := rest.CopyConfig(adminConfig)
	cfg.Impersonate = rest.ImpersonationConfig{
		UserName: fmt.Sprintf("system:serviceaccount:%s:%s", dep.Namespace, dep.Spec.Template.Spec.ServiceAccountName),
	}
	var namespaces map[string]cache.Config
	if *watch != "" {
		namespaces = map[string]cache.Config{}
		for _, ns := range strings.Split(*watch, ",") {
			namespaces[ns] = cache.Config{}
		}
	}
	logs := &syncBuffer{}
	logger := funcr.New(func(prefix, args string) { logs.WriteString(prefix + " " + args + "\n") }, funcr.Options{})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("manager logs:\n%s", logs.String())
		}
	})
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                        scheme.New(),
		Logger:                        logger,
		Metrics:                       metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress:        "0",
		LeaderElection:                *leaderElect,
		LeaderElectionID:              "redress-manager.complaints.redress.dev",
		LeaderElectionNamespace:       *leaderNS,
		LeaderElectionReleaseOnCancel: true,
		Cache:                         cache.Options{DefaultTransform: cache.TransformStripManagedFields(), DefaultNamespaces: namespaces},
		Controller:                    config.Controller{SkipNameValidation: ptr.To(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := controllers.Setup(mgr, controllers.Config{Clock: clock.RealClock{}}); err != nil {
		t.Fatal(err)
	}
	m := &runningManager{mgr: mgr, logs: logs, done: make(chan error, 1)}
	if intakeOpts.BindAddress != "" {
		intakeOpts.BindAddress = freeLocalAddress(t)
		m.intakeURL = "http://" + intakeOpts.BindAddress
		if err := intake.AddToManager(mgr, intakeOpts); err != nil {
			t.Fatalf("intake with the chart's flags: %v", err)
		}
	}
	if m.client, err = client.New(cfg, client.Options{Scheme: scheme.New()}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go func() { m.done <- mgr.Start(ctx) }()
	return m
}

func (m *runningManager) stop(t *testing.T) {
	t.Helper()
	m.cancel()
	select {
	case err := <-m.done:
		if err != nil {
			t.Errorf("manager: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("the manager did not stop within 30s")
	}
}

func freeLocalAddress(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) WriteString(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.WriteString(s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// dedent removes the NOTES' five-space indentation.
func dedent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimPrefix(line, "     ") + "\n")
	}
	return b.String()
}

// bind grants user one of the chart's user ClusterRoles in the cases namespace.
func bind(t *testing.T, user, role string) {
	t.Helper()
	rb := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: casesNS, Name: user + "-" + role},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}},
	}
	if err := k8s.Create(context.Background(), rb); err != nil {
		t.Fatal(err)
	}
}

// kubectlComplaint runs the kubectl plugin with the admin kubeconfig (add
// --as to act as someone else).
func kubectlComplaint(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := casework.NewCommand(casework.Options{Streams: genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out}})
	cmd.SetArgs(append([]string{"--kubeconfig", kubeconfig}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}
