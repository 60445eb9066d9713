package controllers

import (
	"context"
	"fmt"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// ReferenceAllocator hands out case references <prefix>-<year>-<n> from a
// counter in the Policy's status. The counter is written with optimistic
// concurrency (resourceVersion), so two managers, or a stale cache, can never
// hand out the same number twice. A number taken for a case whose status write
// then fails is kept in memory for that case, so a retry does not burn another;
// only a restart in between leaves a gap, never a duplicate.
type ReferenceAllocator struct {
	client client.Client
	reader client.Reader // uncached, for the fresh Policy after a conflict

	mu      sync.Mutex
	pending map[types.UID]string
}

// NewReferenceAllocator returns an allocator writing through c.
func NewReferenceAllocator(c client.Client, uncached client.Reader) *ReferenceAllocator {
	return &ReferenceAllocator{client: c, reader: uncached, pending: map[types.UID]string{}}
}

// Reference returns the reference for the case, taking the next number from
// the Policy when the case has none yet.
func (a *ReferenceAllocator) Reference(ctx context.Context, policy *v1.Policy, caseUID types.UID, receivedAt time.Time, loc *time.Location) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ref, ok := a.pending[caseUID]; ok {
		return ref, nil
	}
	p := policy.DeepCopy()
	for attempt := 0; ; attempt++ {
		seq := max(p.Status.NextSequence, 1)
		p.Status.NextSequence = seq + 1
		err := a.client.Status().Update(ctx, p)
		if err == nil {
			ref := fmt.Sprintf("%s-%d-%06d", p.Spec.ReferencePrefix, receivedAt.In(loc).Year(), seq)
			a.pending[caseUID] = ref
			return ref, nil
		}
		if !apierrors.IsConflict(err) || attempt >= 20 {
			return "", fmt.Errorf("taking the next case number from Policy %s: %w", p.Name, err)
		}
		if err := a.reader.Get(ctx, client.ObjectKeyFromObject(p), p); err != nil {
			return "", err
		}
	}
}

// Recorded forgets a case's pending reference once its status holds it.
func (a *ReferenceAllocator) Recorded(caseUID types.UID) {
	a.mu.Lock()
	delete(a.pending, caseUID)
	a.mu.Unlock()
}
