package controllers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
	"sigs.k8s.io/controller-runtime/pkg/source"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/lifecycle"
	"github.com/redress-operator/redress/internal/procedure"
)

// policyNameField indexes Complaints by spec.policyName.
const policyNameField = "spec.policyName"

// ComplaintReconciler moves each case through its Policy's stages.
type ComplaintReconciler struct {
	client.Client
	Recorder   recorder.EventRecorder
	Clock      clock.PassiveClock
	References *ReferenceAllocator
	letters    *letterSender
	compiled   compiledPolicies
}

// compiledPolicies remembers each Policy generation's compiled procedure, so
// a reconcile does not parse durations and load time zones again.
type compiledPolicies struct {
	mu    sync.Mutex
	byUID map[types.UID]compiledPolicy
}

type compiledPolicy struct {
	generation int64
	proc       *procedure.Procedure
	err        error
}

func (c *compiledPolicies) get(p *v1.Policy) (*procedure.Procedure, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if hit, ok := c.byUID[p.UID]; ok && hit.generation == p.Generation {
		return hit.proc, hit.err
	}
	proc, err := procedure.Compile(p)
	if c.byUID == nil {
		c.byUID = map[types.UID]compiledPolicy{}
	}
	c.byUID[p.UID] = compiledPolicy{generation: p.Generation, proc: proc, err: err}
	return proc, err
}

// +kubebuilder:rbac:groups=complaints.redress.dev,resources=complaints,verbs=get;list;watch
// +kubebuilder:rbac:groups=complaints.redress.dev,resources=complaints/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=complaints.redress.dev,resources=policies,verbs=get;list;watch
// +kubebuilder:rbac:groups=complaints.redress.dev,resources=policies/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile evaluates one case and records the result with a single status
// patch, only when something changed. Events follow the write that records
// them, so a conflict or a restart never repeats one.
func (r *ComplaintReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var c v1.Complaint
	if err := r.Get(ctx, req.NamespacedName, &c); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	now := r.Clock.Now()
	in := lifecycle.Input{
		UID:        string(c.UID),
		Spec:       &c.Spec,
		Generation: c.Generation,
		CreatedAt:  c.CreationTimestamp.Time,
		Status:     c.Status,
		Now:        now,
	}
	if err := r.resolvePolicy(ctx, &c, &in); err != nil {
		return ctrl.Result{}, err
	}
	result := lifecycle.Evaluate(in)

	before := c.Status.DeepCopy()
	wrote, err := r.writeStatus(ctx, &c, result.Status)
	if err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	observeTransitions(&c, before, &c.Status)
	if c.Status.Reference != "" {
		r.References.Recorded(c.UID)
	}
	for _, e := range result.Events {
		r.Recorder.Eventf(&c, nil, e.Type, e.Reason, e.Action, "%s", e.Note)
	}

	wake := result.WakeAt
	if in.Procedure != nil {
		if err := r.deliverLetters(ctx, &c, in.Procedure, now, wrote); err != nil {
			return ctrl.Result{}, client.IgnoreNotFound(err)
		}
		wake = earliest(wake, lifecycle.NextLetterRetry(&c.Status))
	}
	if wake.IsZero() {
		return ctrl.Result{}, nil
	}
	// A deadline must not wait behind a burst of new cases in the queue.
	return ctrl.Result{RequeueAfter: max(wake.Sub(now), time.Millisecond), Priority: ptr.To(deadlinePriority)}, nil
}

// deadlinePriority puts cases woken for a deadline ahead of new cases in the
// controller's priority queue.
const deadlinePriority = 100

// deliverLetters sends the letters whose time has come, after the status that
// records them was written, and records the outcome. fresh says c was just
// written; otherwise c may be a stale cached copy that still shows a sent
// letter as pending, so the letters are first claimed with an
// optimistic-locked write: a stale copy gets a conflict, never a second send.
func (r *ComplaintReconciler) deliverLetters(ctx context.Context, c *v1.Complaint, proc *procedure.Procedure, now time.Time, fresh bool) error {
	due := lifecycle.DueLetters(&c.Status, now)
	if len(due) == 0 {
		return nil
	}
	if !fresh {
		claimed := c.Status.DeepCopy()
		lifecycle.Claim(claimed, due, now)
		if _, err := r.writeStatus(ctx, c, *claimed); err != nil {
			return err
		}
	}
	sent := c.Status.DeepCopy()
	failed := r.letters.send(ctx, c, sent, proc, due, now)
	if _, err := r.writeStatus(ctx, c, *sent); err != nil {
		return err
	}
	for _, n := range failed {
		r.Recorder.Eventf(c, nil, "Warning", "NotificationFailed", "letter "+n.MessageID,
			"%s letter by %s failed after %d attempts: %s", n.Event, n.Channel, n.Attempts, n.LastError)
	}
	return nil
}

// writeStatus patches the status to st when it differs, with the object's
// resourceVersion as an optimistic lock: a stale read becomes a conflict,
// never a second copy of the same transition and its events. It reports
// whether it wrote.
func (r *ComplaintReconciler) writeStatus(ctx context.Context, c *v1.Complaint, st v1.ComplaintStatus) (bool, error) {
	if equality.Semantic.DeepEqual(c.Status, st) {
		return false, nil
	}
	base := c.DeepCopy()
	c.Status = st
	return true, r.Status().Patch(ctx, c, client.MergeFromWithOptions(base, client.MergeFromWithOptimisticLock{}))
}

// earliest is the earlier non-zero instant.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// resolvePolicy fills in the case's procedure, or the reason it has none, and
// gives a new case its reference.
func (r *ComplaintReconciler) resolvePolicy(ctx context.Context, c *v1.Complaint, in *lifecycle.Input) error {
	var policy v1.Policy
	err := r.Get(ctx, client.ObjectKey{Namespace: c.Namespace, Name: c.Spec.PolicyName}, &policy)
	if apierrors.IsNotFound(err) {
		in.PolicyProblem = &lifecycle.PolicyProblem{
			Reason:  v1.ReasonPolicyNotFound,
			Message: fmt.Sprintf("Policy %s does not exist in namespace %s; the case waits for it", c.Spec.PolicyName, c.Namespace),
		}
		return nil
	}
	if err != nil {
		return err
	}
	proc, err := r.compiled.get(&policy)
	if err != nil {
		in.PolicyProblem = &lifecycle.PolicyProblem{
			Reason:  v1.ReasonPolicyInvalid,
			Message: fmt.Sprintf("Policy %s is invalid (%v); the case waits for it to be fixed", policy.Name, err),
		}
		return nil
	}
	in.Procedure = proc
	if c.Status.Reference == "" {
		receivedAt := c.CreationTimestamp.Time
		if c.Spec.ReceivedAt != nil {
			receivedAt = c.Spec.ReceivedAt.Time
		}
		ref, err := r.References.Reference(ctx, &policy, c.UID, receivedAt, proc.Calendar.Location())
		if err != nil {
			return err
		}
		in.Status.Reference = ref
	}
	return nil
}

// complaintsForPolicy wakes the cases of a Policy that appeared, changed or
// went away.
func (r *ComplaintReconciler) complaintsForPolicy(ctx context.Context, policy client.Object) []reconcile.Request {
	var list v1.ComplaintList
	if err := r.List(ctx, &list, client.InNamespace(policy.GetNamespace()), client.MatchingFields{policyNameField: policy.GetName()}); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing the complaints of a policy", "policy", policy.GetName())
		return nil
	}
	requests := make([]reconcile.Request, len(list.Items))
	for i := range list.Items {
		requests[i] = reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&list.Items[i])}
	}
	return requests
}

// SetupWithManager watches Complaints (spec changes only: the controller's own
// status writes do not wake it; time does, through RequeueAfter) and Policies.
func (r *ComplaintReconciler) SetupWithManager(mgr ctrl.Manager, wake <-chan event.GenericEvent, workers int) error {
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1.Complaint{}, policyNameField, func(o client.Object) []string {
		return []string{o.(*v1.Complaint).Spec.PolicyName}
	}); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		For(&v1.Complaint{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1.Policy{}, handler.EnqueueRequestsFromMapFunc(r.complaintsForPolicy),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Named("complaint")
	if wake != nil {
		b = b.WatchesRawSource(source.Channel(wake, &handler.EnqueueRequestForObject{}))
	}
	return b.Complete(r)
}
