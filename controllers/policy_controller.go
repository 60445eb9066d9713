package controllers

import (
	"context"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
	"github.com/redress-operator/redress/internal/procedure"
)

// PolicyReconciler validates Policies and says so in their Ready condition.
type PolicyReconciler struct {
	client.Client
	Recorder recorder.EventRecorder
}

// conditionStalled tells kstatus (Flux, Argo CD) that an invalid Policy will
// not become ready without a change to it.
const conditionStalled = "Stalled"

// +kubebuilder:rbac:groups=complaints.redress.dev,resources=policies,verbs=get;list;watch
// +kubebuilder:rbac:groups=complaints.redress.dev,resources=policies/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile validates one Policy.
func (r *PolicyReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var policy v1.Policy
	if err := r.Get(ctx, req.NamespacedName, &policy); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	base := policy.DeepCopy()
	wasInvalid := apimeta.IsStatusConditionFalse(policy.Status.Conditions, v1.ConditionReady)
	prevMessage := ""
	if c := apimeta.FindStatusCondition(policy.Status.Conditions, v1.ConditionReady); c != nil {
		prevMessage = c.Message
	}

	proc, err := procedure.Compile(&policy)
	ready := metav1.Condition{Type: v1.ConditionReady, ObservedGeneration: policy.Generation}
	if err != nil {
		invalid := err.(*procedure.InvalidError)
		ready.Status, ready.Reason, ready.Message = metav1.ConditionFalse, invalid.Reason(), invalid.Error()
		apimeta.SetStatusCondition(&policy.Status.Conditions, metav1.Condition{
			Type: conditionStalled, Status: metav1.ConditionTrue, Reason: ready.Reason, Message: ready.Message, ObservedGeneration: policy.Generation,
		})
	} else {
		ready.Status, ready.Reason = metav1.ConditionTrue, v1.ReasonValid
		ready.Message = fmt.Sprintf("Policy is valid: %d stages, calendar %s", len(proc.Stages), proc.Calendar.Location())
		apimeta.RemoveStatusCondition(&policy.Status.Conditions, conditionStalled)
	}
	apimeta.SetStatusCondition(&policy.Status.Conditions, ready)
	policy.Status.ObservedGeneration = policy.Generation
	policy.Status.Stages = stageNames(&policy)

	if !equality.Semantic.DeepEqual(base.Status, policy.Status) {
		if err := r.Status().Patch(ctx, &policy, client.MergeFrom(base)); err != nil {
			return ctrl.Result{}, err
		}
	}
	if ready.Status == metav1.ConditionFalse && (!wasInvalid || prevMessage != ready.Message) {
		r.Recorder.Eventf(&policy, nil, "Warning", v1.ReasonPolicyInvalid, "Validate", "%s", ready.Message)
	}
	return ctrl.Result{}, nil
}

// SetupWithManager watches Policies; only spec changes wake it, never its own
// status writes or reference counters.
func (r *PolicyReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Policy{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("policy").
		Complete(r)
}

// stageNames is the stage list shown by `kubectl get cpol`.
func stageNames(p *v1.Policy) string {
	names := make([]string, len(p.Spec.Stages))
	for i, s := range p.Spec.Stages {
		names[i] = s.Name
	}
	return strings.Join(names, ",")
}
