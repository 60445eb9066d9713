package casework

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/yaml"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/scheme"
	"github.com/redress-operator/redress/internal/testenv"
)

var (
	testEnv *testenv.Env
	// kubeconfigs of the test users: alice and bob are case workers (may
	// read and patch complaints), mallory may only read them, admin is
	// system:masters.
	kubeconfigs = map[string]string{}
	// clients talking as those users, for the tests' own assertions.
	userClients = map[string]client.Client{}
	userConfigs = map[string]*rest.Config{}
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	testEnv, err = testenv.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = testEnv.Stop() }()
	dir, err := os.MkdirTemp("", "casework-kubeconfigs")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := setUpUsers(dir); err != nil {
		fmt.Fprintln(os.Stderr, "setting up users:", err)
		return 1
	}
	return m.Run()
}

func setUpUsers(dir string) error {
	ctx := context.Background()
	roles := []*rbacv1.ClusterRole{
		{
			ObjectMeta: metav1.ObjectMeta{Name: "complaint-case-worker"},
			Rules: []rbacv1.PolicyRule{
				{APIGroups: []string{v1.GroupVersion.Group}, Resources: []string{"complaints"}, Verbs: []string{"get", "list", "watch", "patch"}},
				{APIGroups: []string{v1.GroupVersion.Group}, Resources: []string{"policies"}, Verbs: []string{"get", "list", "watch"}},
			},
		},
		{
			ObjectMeta: metav1.ObjectMeta{Name: "complaint-reader"},
			Rules: []rbacv1.PolicyRule{
				{APIGroups: []string{v1.GroupVersion.Group}, Resources: []string{"complaints", "policies"}, Verbs: []string{"get", "list", "watch"}},
			},
		},
	}
	for _, r := range roles {
		if err := testEnv.Client.Create(ctx, r); err != nil {
			return err
		}
	}
	bind := func(user, role string) error {
		return testEnv.Client.Create(ctx, &rbacv1.ClusterRoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: user + "-" + role},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
			Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
		})
	}
	for user, groups := range map[string][]string{
		"alice":   {"caseworkers"},
		"bob":     {"caseworkers"},
		"mallory": nil,
		"admin":   {"system:masters"},
	} {
		u, err := testEnv.AddUser(envtest.User{Name: user, Groups: groups}, &rest.Config{QPS: 200, Burst: 400})
		if err != nil {
			return err
		}
		data, err := u.KubeConfig()
		if err != nil {
			return err
		}
		path := filepath.Join(dir, user+".kubeconfig")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return err
		}
		kubeconfigs[user] = path
		c, err := client.New(u.Config(), client.Options{Scheme: scheme.New()})
		if err != nil {
			return err
		}
		userClients[user] = c
		userConfigs[user] = u.Config()
	}
	if err := bind("alice", "complaint-case-worker"); err != nil {
		return err
	}
	if err := bind("bob", "complaint-case-worker"); err != nil {
		return err
	}
	return bind("mallory", "complaint-reader")
}

// kubectl runs the plugin as user with args, like `kubectl complaint ARGS`.
func kubectl(t *testing.T, user string, now func() time.Time, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := NewCommand(Options{
		Streams: genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Now:     now,
	})
	cmd.SetArgs(append([]string{"--kubeconfig", kubeconfigs[user]}, args...))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := cmd.ExecuteContext(ctx)
	return out.String() + errOut.String(), err
}

func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "casework-"}}
	if err := testEnv.Client.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

func newComplaint(t *testing.T, ns string, actions ...v1.Action) *v1.Complaint {
	t.Helper()
	cmp := &v1.Complaint{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "c-" + strconv.Itoa(int(time.Now().UnixNano()%1e6))},
		Spec: v1.ComplaintSpec{
			PolicyName: "standard",
			Channel:    "Email",
			Summary:    "Rude reply at the front desk",
			Actions:    actions,
		},
	}
	if err := testEnv.Client.Create(context.Background(), cmp); err != nil {
		t.Fatal(err)
	}
	return cmp
}

func getComplaint(t *testing.T, cmp *v1.Complaint) *v1.Complaint {
	t.Helper()
	var got v1.Complaint
	if err := testEnv.Client.Get(context.Background(), client.ObjectKeyFromObject(cmp), &got); err != nil {
		t.Fatal(err)
	}
	return &got
}

// TestEverySubcommandAppendsTheNextEntry runs each of the ten case-log
// subcommands once, alternating two case workers, and checks each appended
// exactly one entry with the next id, the time of the call, the caller's
// identity and the fields its flags carry.
func TestEverySubcommandAppendsTheNextEntry(t *testing.T) {
	ns := newNamespace(t)
	cmp := newComplaint(t, ns)
	steps := []struct {
		user string
		args []string
		want v1.Action
	}{
		{"alice", []string{"acknowledge"}, v1.Action{Type: v1.ActionAcknowledge}},
		{"alice", []string{"assign", "--to", "bob"}, v1.Action{Type: v1.ActionAssign, Assignee: "bob"}},
		{"bob", []string{"extend", "--until", "2026-12-18", "--reason", "Witness on leave"},
			v1.Action{Type: v1.ActionExtend, Until: "2026-12-18", Reason: "Witness on leave"}},
		{"bob", []string{"request-info", "--message", "Which day was it?"},
			v1.Action{Type: v1.ActionRequestInformation, Message: "Which day was it?"}},
		{"bob", []string{"info-received", "--summary", "Tuesday"}, v1.Action{Type: v1.ActionInformationReceived, Summary: "Tuesday"}},
		{"bob", []string{"respond", "--outcome", "PartlyUpheld", "--summary", "We apologise", "--remedy", "Apology letter", "--remedy", "Staff training"},
			v1.Action{Type: v1.ActionRespond, Outcome: v1.OutcomePartlyUpheld, Summary: "We apologise", Remedies: []string{"Apology letter", "Staff training"}}},
		{"alice", []string{"escalate", "--reason", "Disputes the finding"}, v1.Action{Type: v1.ActionEscalate, Reason: "Disputes the finding"}},
		{"alice", []string{"withdraw", "--reason", "Resolved informally"}, v1.Action{Type: v1.ActionWithdraw, Reason: "Resolved informally"}},
		{"alice", []string{"follow-up", "--satisfied=false", "--summary", "Still unhappy"},
			v1.Action{Type: v1.ActionFollowUp, Satisfied: ptr.To(false), Summary: "Still unhappy"}},
		{"bob", []string{"note", "--summary", "Lesson: front desk rota reviewed"}, v1.Action{Type: v1.ActionNote, Summary: "Lesson: front desk rota reviewed"}},
	}
	for i, step := range steps {
		id := strconv.Itoa(i + 1)
		before := time.Now().Truncate(time.Second)
		args := append([]string{"-n", ns, step.args[0], cmp.Name}, step.args[1:]...)
		out, err := kubectl(t, step.user, nil, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", step.args, err, out)
		}
		after := time.Now()
		if want := fmt.Sprintf("complaint/%s: appended #%s %s by %s", cmp.Name, id, step.want.Type, step.user); !strings.Contains(out, want) {
			t.Errorf("%v: output %q, want it to contain %q", step.args, out, want)
		}
		got := getComplaint(t, cmp).Spec.Actions
		if len(got) != i+1 {
			t.Fatalf("%v: case log has %d entries, want %d", step.args, len(got), i+1)
		}
		last := got[i]
		if last.At.Time.Before(before) || last.At.Time.After(after) {
			t.Errorf("%v: at = %s, want between %s and %s", step.args, last.At, before, after)
		}
		want := step.want
		want.ID, want.By, want.At = id, step.user, last.At
		if !equalActions(last, want) {
			t.Errorf("%v: appended\n%s\nwant\n%s", step.args, toYAML(last), toYAML(want))
		}
	}
}

// TestByIsTheServersIdentity shows `by` is who the API server says the caller
// is (SelfSubjectReview), not a name in the kubeconfig: an admin acting
// --as another user writes entries as that user.
func TestByIsTheServersIdentity(t *testing.T) {
	ns := newNamespace(t)
	cmp := newComplaint(t, ns)
	if out, err := kubectl(t, "admin", nil, "-n", ns, "--as", "carol@example.org", "--as-group", "system:masters", "acknowledge", cmp.Name); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := getComplaint(t, cmp).Spec.Actions[0].By; got != "carol@example.org" {
		t.Errorf("by = %q, want carol@example.org", got)
	}
}

// TestDryRunAppendsNothing: --dry-run prints the entry it would append, has
// the API server validate it (a bad entry is still refused) and writes nothing.
func TestDryRunAppendsNothing(t *testing.T) {
	ns := newNamespace(t)
	cmp := newComplaint(t, ns, v1.Action{ID: "1", Type: v1.ActionAcknowledge, At: metav1.Now(), By: "alice"})
	before := getComplaint(t, cmp)

	out, err := kubectl(t, "alice", nil, "-n", ns, "assign", cmp.Name, "--to", "bob", "--dry-run")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"# dry run", "id: \"2\"", "type: Assign", "by: alice", "assignee: bob"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry-run output lacks %q:\n%s", want, out)
		}
	}
	var entry v1.Action
	if err := yaml.Unmarshal([]byte(out), &entry); err != nil || entry.ID != "2" {
		t.Errorf("dry-run output is not the entry as YAML (%v): %+v", err, entry)
	}

	_, err = kubectl(t, "alice", nil, "-n", ns, "note", cmp.Name, "--summary", strings.Repeat("x", 3000), "--dry-run")
	if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "summary") {
		t.Errorf("a too-long note in a dry run: err = %v, want the API server's refusal naming summary", err)
	}

	after := getComplaint(t, cmp)
	if len(after.Spec.Actions) != 1 || after.ResourceVersion != before.ResourceVersion {
		t.Errorf("dry runs changed the complaint: %d entries, resourceVersion %s -> %s", len(after.Spec.Actions), before.ResourceVersion, after.ResourceVersion)
	}
}

// TestRefusedAppends: whatever the API server refuses reaches the case worker
// as a clear error, and the case log is left as it was.
func TestRefusedAppends(t *testing.T) {
	ns := newNamespace(t)
	cmp := newComplaint(t, ns,
		v1.Action{ID: "1", Type: v1.ActionAcknowledge, At: metav1.Now(), By: "alice"},
		v1.Action{ID: "2", Type: v1.ActionAssign, At: metav1.Now(), By: "alice", Assignee: "bob"})
	ctx := context.Background()

	t.Run("an entry with a gap in the ids is refused", func(t *testing.T) {
		cur := getComplaint(t, cmp)
		entry := v1.Action{ID: "5", Type: v1.ActionNote, At: metav1.Now(), By: "alice", Summary: "out of order"}
		err := appendEntry(ctx, userClients["alice"], cur, entry, false)
		if !apierrors.IsInvalid(err) {
			t.Fatalf("appending id 5 after 2 entries: err = %v, want Invalid", err)
		}
		msg := explain(err, "append Note #5 to", ns, cmp.Name).Error()
		if !strings.Contains(msg, "refused") || !strings.Contains(msg, "no gaps") {
			t.Errorf("error %q does not explain the refusal", msg)
		}
	})

	t.Run("history cannot be rewritten", func(t *testing.T) {
		// Even a case worker allowed to patch cannot change an entry once written.
		cur := getComplaint(t, cmp)
		patch := []byte(`[{"op":"replace","path":"/spec/actions/1/assignee","value":"mallory"}]`)
		err := userClients["alice"].Patch(ctx, cur, client.RawPatch(types.JSONPatchType, patch))
		if !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), "immutable") {
			t.Fatalf("rewriting entry 2: err = %v, want Invalid (immutable)", err)
		}
	})

	t.Run("a stale read is a conflict, not an overwrite", func(t *testing.T) {
		stale := getComplaint(t, cmp)
		if _, err := appendNext(ctx, userClients["bob"], client.ObjectKeyFromObject(cmp),
			v1.Action{Type: v1.ActionNote, By: "bob", Summary: "first"}, time.Now, false); err != nil {
			t.Fatal(err)
		}
		entry := v1.Action{ID: "4", Type: v1.ActionNote, At: metav1.Now(), By: "alice", Summary: "second"}
		if err := appendEntry(ctx, userClients["alice"], stale, entry, false); !apierrors.IsConflict(err) {
			t.Fatalf("appending on a stale read: err = %v, want Conflict", err)
		}
	})

	t.Run("a field the schema refuses", func(t *testing.T) {
		_, err := kubectl(t, "alice", nil, "-n", ns, "respond", cmp.Name, "--outcome", "Upheld", "--summary", "ok", "--remedy", strings.Repeat("r", 300))
		if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "remedies") {
			t.Errorf("err = %v, want a refusal naming remedies", err)
		}
	})

	t.Run("a user without patch rights", func(t *testing.T) {
		_, err := kubectl(t, "mallory", nil, "-n", ns, "acknowledge", cmp.Name)
		if err == nil || !strings.Contains(err.Error(), "refused to let you") || !strings.Contains(err.Error(), "forbidden") {
			t.Errorf("err = %v, want a clear Forbidden", err)
		}
	})

	t.Run("a complaint that does not exist", func(t *testing.T) {
		_, err := kubectl(t, "alice", nil, "-n", ns, "acknowledge", "no-such-case")
		if err == nil || err.Error() != fmt.Sprintf("complaint \"no-such-case\" not found in namespace %q", ns) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("bad flags are refused before anything is sent", func(t *testing.T) {
		for _, args := range [][]string{
			{"extend", cmp.Name, "--until", "18/12/2026", "--reason", "x"},
			{"respond", cmp.Name, "--outcome", "Maybe", "--summary", "x"},
			{"assign", cmp.Name},
			{"follow-up", cmp.Name},
			{"note", cmp.Name, "a", "b"},
		} {
			if _, err := kubectl(t, "alice", nil, append([]string{"-n", ns}, args...)...); err == nil {
				t.Errorf("%v: no error", args)
			}
		}
	})

	if got := getComplaint(t, cmp).Spec.Actions; len(got) != 3 || got[1].Assignee != "bob" || got[2].Summary != "first" {
		t.Errorf("case log changed by refused appends: %s", toYAML(got))
	}
}

// TestConcurrentAppendsNeverClobber: case workers appending at the same time
// each get their own id; none is lost.
func TestConcurrentAppendsNeverClobber(t *testing.T) {
	ns := newNamespace(t)
	cmp := newComplaint(t, ns)
	const writers = 6
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := []string{"alice", "bob"}[i%2]
			_, err := appendNext(context.Background(), userClients[user], client.ObjectKeyFromObject(cmp),
				v1.Action{Type: v1.ActionNote, By: user, Summary: fmt.Sprintf("note %d", i)}, time.Now, false)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got := getComplaint(t, cmp).Spec.Actions
	seen := map[string]bool{}
	for i, a := range got {
		if a.ID != strconv.Itoa(i+1) {
			t.Errorf("entry %d has id %s", i, a.ID)
		}
		seen[a.Summary] = true
	}
	if len(got) != writers || len(seen) != writers {
		t.Errorf("%d entries, %d distinct, want %d: %s", len(got), len(seen), writers, toYAML(got))
	}
}

func equalActions(a, b v1.Action) bool {
	return string(toYAML(a)) == string(toYAML(b))
}

func toYAML(v any) []byte {
	out, _ := yaml.Marshal(v)
	return out
}

// TestKubeconfigContextAndNamespace: --context picks the identity, and the
// context's namespace is used when -n is not given, as with kubectl.
func TestKubeconfigContextAndNamespace(t *testing.T) {
	ns := newNamespace(t)
	cmp := newComplaint(t, ns)
	merged := clientcmdapi.NewConfig()
	for _, user := range []string{"alice", "bob"} {
		cfg, err := clientcmd.LoadFromFile(kubeconfigs[user])
		if err != nil {
			t.Fatal(err)
		}
		src := cfg.Contexts[cfg.CurrentContext]
		merged.Clusters["envtest"] = cfg.Clusters[src.Cluster]
		merged.AuthInfos[user] = cfg.AuthInfos[src.AuthInfo]
		merged.Contexts[user+"-ctx"] = &clientcmdapi.Context{Cluster: "envtest", AuthInfo: user, Namespace: ns}
	}
	merged.CurrentContext = "bob-ctx"
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*merged, path); err != nil {
		t.Fatal(err)
	}
	kubeconfigs["merged"] = path
	if out, err := kubectl(t, "merged", nil, "--context", "alice-ctx", "note", cmp.Name, "--summary", "via context"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := kubectl(t, "merged", nil, "note", cmp.Name, "--summary", "current context"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := getComplaint(t, cmp).Spec.Actions
	if len(got) != 2 || got[0].By != "alice" || got[1].By != "bob" {
		t.Errorf("entries by %s, want alice (--context) then bob (current context)", toYAML(got))
	}
}

// TestLostRaceIsRetried: when another entry lands between the plugin's read
// and its patch, the API server answers 409 and the plugin re-reads and
// appends after it, with the next id.
func TestLostRaceIsRetried(t *testing.T) {
	ns := newNamespace(t)
	cmp := newComplaint(t, ns)
	alice, err := client.NewWithWatch(userConfigs["alice"], client.Options{Scheme: scheme.New()})
	if err != nil {
		t.Fatal(err)
	}
	raced := false
	c := interceptor.NewClient(alice, interceptor.Funcs{
		Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
			if !raced {
				raced = true // bob appends first, after alice has read the case
				if _, err := appendNext(ctx, userClients["bob"], client.ObjectKeyFromObject(cmp),
					v1.Action{Type: v1.ActionAcknowledge, By: "bob"}, time.Now, false); err != nil {
					return err
				}
			}
			return c.Patch(ctx, obj, patch, opts...)
		},
	})
	written, err := appendNext(context.Background(), c, client.ObjectKeyFromObject(cmp),
		v1.Action{Type: v1.ActionAssign, By: "alice", Assignee: "carol"}, time.Now, false)
	if err != nil {
		t.Fatal(err)
	}
	got := getComplaint(t, cmp).Spec.Actions
	if written.ID != "2" || len(got) != 2 || got[0].By != "bob" || got[1].Assignee != "carol" || got[1].ID != "2" {
		t.Errorf("wrote #%s; log: %s", written.ID, toYAML(got))
	}
}
