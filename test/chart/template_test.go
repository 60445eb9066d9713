package chart

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

const namespacedValues = `
watchNamespaces: [team-a, team-b]
notifications:
  smtp: {existingSecret: smtp-relay}
intake:
  token:
    create: true
    data:
      team-a: "token-a1,token-a2"
`

func writeValues(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func chartVersion(t *testing.T) (version, appVersion string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ Version, AppVersion string }
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c.Version, c.AppVersion
}

// TestHelmLint: the chart passes `helm lint --strict` with default and with
// namespaced values.
func TestHelmLint(t *testing.T) {
	mustHelm(t, "lint", "--strict", chartDir)
	mustHelm(t, "lint", "--strict", chartDir, "-f", writeValues(t, namespacedValues))
}

func deploymentOf(t *testing.T, r rendered) *appsv1.Deployment {
	t.Helper()
	var d appsv1.Deployment
	into(t, r.get(t, "Deployment", "redress-system", "redress"), &d)
	return &d
}

// TestTemplateDefaults: with no values the chart renders a cluster-wide
// install: both CRDs (kept on uninstall), a ServiceAccount, a ClusterRole and
// binding, a single manager replica without leader election, the metrics
// Service, a PDB, restricted pod security settings, probes and resources, and
// nothing optional.
func TestTemplateDefaults(t *testing.T) {
	r := render(t)
	_, appVersion := chartVersion(t)

	crds := r.ofKind("CustomResourceDefinition")
	if len(crds) != 2 {
		t.Fatalf("%d CRDs rendered, want 2", len(crds))
	}
	for _, crd := range crds {
		if got := crd.GetAnnotations()["helm.sh/resource-policy"]; got != "keep" {
			t.Errorf("CRD %s: helm.sh/resource-policy = %q, want keep", crd.GetName(), got)
		}
	}
	for _, want := range []struct{ kind, ns, name string }{
		{"ServiceAccount", "redress-system", "redress"},
		{"ClusterRole", "", "redress-manager"},
		{"ClusterRoleBinding", "", "redress-manager"},
		{"ClusterRole", "", "redress-case-worker"},
		{"ClusterRole", "", "redress-viewer"},
		{"Deployment", "redress-system", "redress"},
		{"Service", "redress-system", "redress-metrics"},
		{"PodDisruptionBudget", "redress-system", "redress"},
	} {
		if !r.has(want.kind, want.ns, want.name) {
			t.Errorf("no %s %s/%s rendered", want.kind, want.ns, want.name)
		}
	}
	for _, kind := range []string{"Role", "RoleBinding", "Ingress", "ServiceMonitor", "NetworkPolicy", "Certificate", "Secret"} {
		if got := r.ofKind(kind); len(got) > 0 {
			t.Errorf("default values render %s: %s", kind, got.names())
		}
	}
	if r.has("Service", "redress-system", "redress-intake") {
		t.Error("the intake Service is rendered although nothing could use intake")
	}

	var worker rbacv1.ClusterRole
	into(t, r.get(t, "ClusterRole", "", "redress-case-worker"), &worker)
	if got := worker.Rules[0].Verbs; !slices.Contains(got, "patch") || slices.Contains(got, "delete") || slices.Contains(got, "update") {
		t.Errorf("case-worker verbs on complaints = %v, want patch (to append) but neither update nor delete", got)
	}
	if len(worker.Labels["rbac.authorization.k8s.io/aggregate-to-edit"]) > 0 {
		t.Error("user roles aggregate into edit by default")
	}

	var crb rbacv1.ClusterRoleBinding
	into(t, r.get(t, "ClusterRoleBinding", "", "redress-manager"), &crb)
	if want := []rbacv1.Subject{{Kind: "ServiceAccount", Name: "redress", Namespace: "redress-system"}}; !reflect.DeepEqual(crb.Subjects, want) {
		t.Errorf("ClusterRoleBinding subjects = %+v, want %+v", crb.Subjects, want)
	}

	d := deploymentOf(t, r)
	if *d.Spec.Replicas != 1 {
		t.Errorf("replicas = %d, want 1", *d.Spec.Replicas)
	}
	pod := d.Spec.Template.Spec
	if pod.ServiceAccountName != "redress" {
		t.Errorf("serviceAccountName = %q", pod.ServiceAccountName)
	}
	c := pod.Containers[0]
	if want := "ghcr.io/redress-operator/redress:" + appVersion; c.Image != want {
		t.Errorf("image = %q, want %q", c.Image, want)
	}
	if !slices.Equal(c.Command, []string{"/manager"}) {
		t.Errorf("command = %v, want [/manager]", c.Command)
	}
	wantArgs := []string{"--metrics-bind-address=:8080", "--health-probe-bind-address=:8081", "--zap-log-level=info"}
	if !slices.Equal(c.Args, wantArgs) {
		t.Errorf("args = %v, want %v", c.Args, wantArgs)
	}
	checkRestricted(t, &pod)
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("probes: liveness %+v readiness %+v", c.LivenessProbe, c.ReadinessProbe)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources = %+v, want cpu and memory requests and a memory limit", c.Resources)
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if !reflect.DeepEqual(ports, map[string]int32{"health": 8081, "metrics": 8080}) {
		t.Errorf("ports = %v", ports)
	}
}

// checkRestricted checks the Pod Security "restricted" essentials. (The
// install test also has the API server's PodSecurity admission judge it.)
func checkRestricted(t *testing.T, pod *corev1.PodSpec) {
	t.Helper()
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod securityContext = %+v, want runAsNonRoot and seccomp RuntimeDefault", psc)
	}
	for _, c := range pod.Containers {
		sc := c.SecurityContext
		if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
			sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
			t.Errorf("container %s securityContext = %+v, want no privilege escalation, read-only root, drop ALL", c.Name, sc)
		}
	}
}

// TestTemplateNamespaced: with watchNamespaces the manager gets a Role in each
// watched namespace and no cluster-wide permission at all; intake's own
// Secrets are reachable through a Role limited to them by name.
func TestTemplateNamespaced(t *testing.T) {
	r := render(t, "-f", writeValues(t, namespacedValues))
	if got := append(r.ofKind("ClusterRole"), r.ofKind("ClusterRoleBinding")...); len(got) > 0 {
		t.Errorf("a namespaced install renders cluster-wide RBAC: %s", got.names())
	}
	for _, ns := range []string{"team-a", "team-b"} {
		r.get(t, "Role", ns, "redress-manager")
		var rb rbacv1.RoleBinding
		into(t, r.get(t, "RoleBinding", ns, "redress-manager"), &rb)
		if rb.RoleRef.Kind != "Role" || len(rb.Subjects) != 1 || rb.Subjects[0].Name != "redress" || rb.Subjects[0].Namespace != "redress-system" {
			t.Errorf("RoleBinding in %s = %+v", ns, rb)
		}
	}
	var intakeRole rbacv1.Role
	into(t, r.get(t, "Role", "redress-system", "redress-secrets"), &intakeRole)
	if got := intakeRole.Rules[0].ResourceNames; !slices.Equal(got, []string{"smtp-relay", "redress-intake-token", "redress-intake-tracking-key"}) {
		t.Errorf("own-Secrets Role resourceNames = %v", got)
	}
	for _, ns := range []string{"team-a", "team-b"} {
		r.get(t, "Role", ns, "redress-case-worker")
		r.get(t, "Role", ns, "redress-viewer")
	}
	if n := len(r.ofKind("Role")); n != 7 {
		t.Errorf("%d Roles, want 7 (manager, case worker and viewer in team-a and team-b; own Secrets): %s", n, r.ofKind("Role").names())
	}

	var secret corev1.Secret
	into(t, r.get(t, "Secret", "redress-system", "redress-intake-token"), &secret)
	if secret.StringData["team-a"] != "token-a1,token-a2" {
		t.Errorf("token Secret = %v", secret.StringData)
	}

	d := deploymentOf(t, r)
	args := d.Spec.Template.Spec.Containers[0].Args
	for _, want := range []string{
		"--watch-namespaces=team-a,team-b",
		"--intake-bind-address=:8082",
		"--intake-token-secret=redress-system/redress-intake-token",
		"--intake-tracking-key-secret=redress-system/redress-intake-tracking-key",
		"--smtp-secret=redress-system/smtp-relay",
	} {
		if !slices.Contains(args, want) {
			t.Errorf("args %v lack %s", args, want)
		}
	}
	if d.Spec.Template.Annotations["checksum/secrets"] == "" {
		t.Error("no checksum/secrets annotation: a token change would not roll the pods")
	}
	r.get(t, "Service", "redress-system", "redress-intake")
}

// TestTemplateOptions covers the optional parts: leader election with more
// than one replica, TLS from a Secret or from cert-manager, Ingress,
// ServiceMonitor, NetworkPolicy, image digest and the CRD switches.
func TestTemplateOptions(t *testing.T) {
	t.Run("replicas > 1 turn leader election on", func(t *testing.T) {
		r := render(t, "--set", "replicas=2")
		args := deploymentOf(t, r).Spec.Template.Spec.Containers[0].Args
		if !slices.Contains(args, "--leader-elect") || !slices.Contains(args, "--leader-election-namespace=redress-system") {
			t.Errorf("args = %v", args)
		}
		var role rbacv1.Role
		into(t, r.get(t, "Role", "redress-system", "redress-leader-election"), &role)
		if role.Rules[0].Resources[0] != "leases" {
			t.Errorf("leader election Role = %+v", role.Rules)
		}
		r.get(t, "RoleBinding", "redress-system", "redress-leader-election")
		off := render(t, "--set", "replicas=2", "--set", "leaderElection.enabled=false")
		if args := deploymentOf(t, off).Spec.Template.Spec.Containers[0].Args; slices.Contains(args, "--leader-elect") {
			t.Errorf("leaderElection.enabled=false still elects: %v", args)
		}
	})

	t.Run("TLS from cert-manager", func(t *testing.T) {
		r := render(t, "--set", "intake.publicNamespaces={complaints}", "--set", "intake.tls.enabled=true",
			"--set", "intake.tls.certManager.enabled=true", "--set", "intake.tls.certManager.issuerRef.name=letsencrypt",
			"--set", "intake.tls.certManager.dnsNames={complaints.example.org}")
		cert := r.get(t, "Certificate", "redress-system", "redress-intake")
		if sn, _, _ := unstructuredString(cert.Object, "spec", "secretName"); sn != "redress-intake-tls" {
			t.Errorf("Certificate secretName = %q", sn)
		}
		d := deploymentOf(t, r)
		args := d.Spec.Template.Spec.Containers[0].Args
		if !slices.Contains(args, "--intake-tls-cert-file=/etc/redress/intake-tls/tls.crt") || !slices.Contains(args, "--intake-tls-key-file=/etc/redress/intake-tls/tls.key") {
			t.Errorf("args = %v", args)
		}
		found := false
		for _, v := range d.Spec.Template.Spec.Volumes {
			found = found || (v.Secret != nil && v.Secret.SecretName == "redress-intake-tls")
		}
		if !found {
			t.Error("the TLS Secret is not mounted")
		}
	})

	t.Run("TLS from an existing Secret", func(t *testing.T) {
		r := render(t, "--set", "intake.publicNamespaces={complaints}", "--set", "intake.tls.enabled=true", "--set", "intake.tls.secretName=my-tls")
		if len(r.ofKind("Certificate")) != 0 {
			t.Error("a Certificate is rendered without cert-manager")
		}
		found := false
		for _, v := range deploymentOf(t, r).Spec.Template.Spec.Volumes {
			found = found || (v.Secret != nil && v.Secret.SecretName == "my-tls")
		}
		if !found {
			t.Error("my-tls is not mounted")
		}
		if _, err := helm(t, "template", "redress", chartDir, "--set", "intake.publicNamespaces={complaints}", "--set", "intake.tls.enabled=true"); err == nil {
			t.Error("TLS without a Secret or cert-manager renders")
		}
	})

	t.Run("Ingress, ServiceMonitor, NetworkPolicy", func(t *testing.T) {
		r := render(t, "--set", "intake.hmac.existingSecret=gateway-keys",
			"--set", "intake.ingress.enabled=true", "--set", "intake.ingress.className=nginx",
			"--set", "intake.ingress.hosts[0].host=complaints.example.org",
			"--set", "metrics.serviceMonitor.enabled=true", "--set", "networkPolicy.enabled=true")
		ing := r.get(t, "Ingress", "redress-system", "redress-intake")
		if host, _, _ := unstructuredString(ing.Object, "spec", "rules", "0", "host"); host != "complaints.example.org" {
			t.Errorf("Ingress host = %q", host)
		}
		r.get(t, "ServiceMonitor", "redress-system", "redress")
		r.get(t, "NetworkPolicy", "redress-system", "redress")
		args := deploymentOf(t, r).Spec.Template.Spec.Containers[0].Args
		if !slices.Contains(args, "--intake-hmac-secret=redress-system/gateway-keys") {
			t.Errorf("args = %v", args)
		}
	})

	t.Run("image digest, log level, CRD switches", func(t *testing.T) {
		digest := "sha256:" + strings.Repeat("ab", 32)
		r := render(t, "--set", "image.digest="+digest, "--set", "logLevel=debug", "--set", "crds.keep=false")
		c := deploymentOf(t, r).Spec.Template.Spec.Containers[0]
		if c.Image != "ghcr.io/redress-operator/redress@"+digest || !slices.Contains(c.Args, "--zap-log-level=debug") {
			t.Errorf("image %q args %v", c.Image, c.Args)
		}
		for _, crd := range r.ofKind("CustomResourceDefinition") {
			if _, ok := crd.GetAnnotations()["helm.sh/resource-policy"]; ok {
				t.Errorf("crds.keep=false still keeps %s", crd.GetName())
			}
		}
		if got := render(t, "--set", "crds.enabled=false").ofKind("CustomResourceDefinition"); len(got) != 0 {
			t.Errorf("crds.enabled=false renders %s", got.names())
		}
	})
}

func unstructuredString(obj map[string]any, path ...string) (string, bool, error) {
	var cur any = obj
	for _, p := range path {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i := 0
			for _, ch := range p {
				i = i*10 + int(ch-'0')
			}
			if i >= len(c) {
				return "", false, nil
			}
			cur = c[i]
		default:
			return "", false, nil
		}
	}
	s, ok := cur.(string)
	return s, ok, nil
}

// TestValuesTypoRefusedBySchema: values.schema.json turns a misspelt or
// mistyped value into an error instead of a silently ignored setting.
func TestValuesTypoRefusedBySchema(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--set", "replicaCount=2"}, "replicaCount"},
		{[]string{"--set", "intake.tokne.create=true"}, "tokne"},
		{[]string{"--set", "replicas=two"}, "replicas"},
		{[]string{"--set", "watchNamespaces={Team_A}"}, "watchNamespaces"},
		{[]string{"--set", "logLevel=verbose"}, "logLevel"},
	} {
		out, err := helm(t, append([]string{"template", "redress", chartDir}, tc.args...)...)
		if err == nil || !strings.Contains(out, "schema") || !strings.Contains(out, tc.want) {
			t.Errorf("%v: err = %v, output %q; want a schema error naming %s", tc.args, err, out, tc.want)
		}
	}
}

// managerRules reads the rules controller-gen generated from the controllers'
// RBAC markers.
func managerRules(t *testing.T) []rbacv1.PolicyRule {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "config", "rbac", "role.yaml"))
	if err != nil {
		t.Fatalf("%v: run `make manifests`", err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(data, &role); err != nil {
		t.Fatal(err)
	}
	if len(role.Rules) == 0 {
		t.Fatal("config/rbac/role.yaml has no rules")
	}
	return role.Rules
}

// normalise sorts a rule set so equal permissions compare equal.
func normalise(rules []rbacv1.PolicyRule) []string {
	var out []string
	for _, r := range rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					names := append([]string(nil), r.ResourceNames...)
					sort.Strings(names)
					out = append(out, g+"|"+res+"|"+v+"|"+strings.Join(names, ","))
				}
			}
		}
		for _, u := range r.NonResourceURLs {
			for _, v := range r.Verbs {
				out = append(out, "url|"+u+"|"+v)
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// TestManagerRulesMatchMarkers: the chart grants the manager exactly the
// permissions its RBAC markers ask for (config/rbac/role.yaml), in both the
// cluster-wide ClusterRole and the namespaced Roles; a marker change without
// `make chart-crds` fails here.
func TestManagerRulesMatchMarkers(t *testing.T) {
	want := normalise(managerRules(t))
	var cr rbacv1.ClusterRole
	into(t, render(t).get(t, "ClusterRole", "", "redress-manager"), &cr)
	if got := normalise(cr.Rules); !slices.Equal(got, want) {
		t.Errorf("chart ClusterRole rules drifted from config/rbac/role.yaml (run `make chart-crds`):\n got %v\nwant %v", got, want)
	}
	r := render(t, "-f", writeValues(t, namespacedValues))
	for _, ns := range []string{"team-a", "team-b"} {
		var role rbacv1.Role
		into(t, r.get(t, "Role", ns, "redress-manager"), &role)
		if got := normalise(role.Rules); !slices.Equal(got, want) {
			t.Errorf("chart Role in %s drifted from config/rbac/role.yaml:\n got %v\nwant %v", ns, got, want)
		}
	}
}

// TestChartCRDsMatchConfig: the CRDs the chart installs are config/crd/bases
// exactly, plus the chart's labels and keep annotation; a CRD change without
// `make chart-crds` fails here.
func TestChartCRDsMatchConfig(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "config", "crd", "bases", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in config/crd/bases (%v)", err)
	}
	want := map[string]*apiextensionsv1.CustomResourceDefinition{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.UnmarshalStrict(data, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		want[crd.Name] = &crd
	}
	got := map[string]*apiextensionsv1.CustomResourceDefinition{}
	for _, o := range render(t).ofKind("CustomResourceDefinition") {
		var crd apiextensionsv1.CustomResourceDefinition
		into(t, o, &crd)
		delete(crd.Annotations, "helm.sh/resource-policy")
		crd.Labels = nil
		got[crd.Name] = &crd
	}
	if len(got) != len(want) {
		t.Errorf("chart has %d CRDs, config/crd/bases %d (run `make chart-crds`)", len(got), len(want))
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("chart lacks CRD %s (run `make chart-crds`)", name)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			gy, _ := yaml.Marshal(g)
			wy, _ := yaml.Marshal(w)
			t.Errorf("chart CRD %s differs from config/crd/bases (run `make chart-crds`); first difference:%s", name, firstDiff(string(gy), string(wy)))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "\n chart:  " + al[i] + "\n config: " + bl[i]
		}
	}
	return " (one is a prefix of the other)"
}

const everythingOnValues = `
replicas: 3
watchNamespaces: [team-a]
logLevel: debug
intake:
  publicNamespaces: [team-a]
  trustForwardedFor: true
  token: {existingSecret: tokens}
  hmac: {existingSecret: keys}
  trackingKeySecret: tracking
  rateLimits: {tokenRate: 5, tokenBurst: 50, clientRate: 10, clientBurst: 50, publicRate: 0.05, publicBurst: 5}
  tls: {enabled: true, secretName: intake-tls}
notifications:
  smtp: {existingSecret: smtp-relay}
`

// TestChartArgsAreManagerFlags builds the real manager and checks that every
// flag the chart can pass (all options on) is one it defines, so no values
// combination renders a Deployment that crash-loops on an unknown flag.
func TestChartArgsAreManagerFlags(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "manager")
	build := exec.Command("go", "build", "-o", bin, "./cmd/manager")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/manager: %v\n%s", err, out)
	}
	help, _ := exec.Command(bin, "-help").CombinedOutput() // -help exits 0 or 2 depending on the flag package
	defined := map[string]bool{}
	for _, line := range strings.Split(string(help), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "-") {
			defined[strings.TrimLeft(f[0], "-")] = true
		}
	}
	if !defined["metrics-bind-address"] {
		t.Fatalf("cannot read the manager's flags from -help:\n%s", help)
	}
	args := deploymentOf(t, render(t, "-f", writeValues(t, everythingOnValues))).Spec.Template.Spec.Containers[0].Args
	if len(args) < 20 {
		t.Errorf("only %d args with every option on: %v", len(args), args)
	}
	for _, arg := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !defined[name] {
			t.Errorf("the chart passes %s, which the manager does not define", arg)
		}
	}
}

// The optional Grafana dashboard ConfigMap carries the sidecar's label and the
// chart's dashboard file unchanged.
func TestTemplateGrafanaDashboard(t *testing.T) {
	if render(t).has("ConfigMap", "redress-system", "redress-dashboard") {
		t.Fatal("the dashboard is rendered by default")
	}
	r := render(t, "--set", "grafanaDashboard.enabled=true")
	var cm corev1.ConfigMap
	into(t, r.get(t, "ConfigMap", "redress-system", "redress-dashboard"), &cm)
	if cm.Labels["grafana_dashboard"] != "1" {
		t.Errorf("labels = %v", cm.Labels)
	}
	want, err := os.ReadFile(filepath.Join(chartDir, "dashboards", "redress.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(cm.Data["redress.json"]) != strings.TrimSpace(string(want)) {
		t.Error("the ConfigMap's dashboard differs from charts/redress/dashboards/redress.json")
	}
}
