package controllers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/redress-operator/redress/api/v1alpha1"
)

// maxBlock bounds how many case numbers one Policy write reserves.
const maxBlock = 64

// ReferenceAllocator hands out case references <prefix>-<year>-<n> from the
// counter in the Policy's status. The counter is written with optimistic
// concurrency (resourceVersion), so two managers or a stale cache can never
// hand out the same number twice.
//
// Numbers are reserved in blocks that adapt to demand: one at a time while
// cases trickle in (so numbering stays gapless), doubling up to 64 while a
// burst keeps exhausting them within a second (so a burst costs one Policy
// write per block, not per case). A restart or a change of leader loses the
// unused rest of a block: a gap, never a duplicate. A number taken for a case
// whose own status write then fails is kept for that case's retry.
type ReferenceAllocator struct {
	client client.Client
	reader client.Reader // uncached, for the fresh Policy after a conflict

	mu      sync.Mutex
	blocks  map[types.UID]*numberBlock
	pending map[types.UID]string
}

// numberBlock is a reserved range [next, end) of one Policy's case numbers.
type numberBlock struct {
	next, end, size int64
	reservedAt      time.Time
}

// NewReferenceAllocator returns an allocator writing through c.
func NewReferenceAllocator(c client.Client, uncached client.Reader) *ReferenceAllocator {
	return &ReferenceAllocator{client: c, reader: uncached, blocks: map[types.UID]*numberBlock{}, pending: map[types.UID]string{}}
}

// Reference returns the reference for the case, taking the next number from
// the Policy when the case has none yet.
func (a *ReferenceAllocator) Reference(ctx context.Context, policy *v1.Policy, caseUID types.UID, receivedAt time.Time, loc *time.Location) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if ref, ok := a.pending[caseUID]; ok {
		return ref, nil
	}
	b := a.blocks[policy.UID]
	if b == nil || b.next >= b.end {
		var err error
		if b, err = a.reserve(ctx, policy, b); err != nil {
			return "", err
		}
		a.blocks[policy.UID] = b
	}
	ref := fmt.Sprintf("%s-%d-%06d", policy.Spec.ReferencePrefix, receivedAt.In(loc).Year(), b.next)
	b.next++
	a.pending[caseUID] = ref
	return ref, nil
}

// reserve takes the next block of numbers from the Policy's counter.
func (a *ReferenceAllocator) reserve(ctx context.Context, policy *v1.Policy, last *numberBlock) (*numberBlock, error) {
	size := int64(1)
	if last != nil && time.Since(last.reservedAt) < time.Second {
		size = min(last.size*2, maxBlock)
	}
	p := policy.DeepCopy()
	for attempt := 0; ; attempt++ {
		start := p.Status.NextSequence
		if start < 1 {
			// A new counter: a Policy recreated by GitOps or restored without
			// its status must not hand out its cases' numbers again.
			highest, err := a.highestIssued(ctx, p)
			if err != nil {
				return nil, err
			}
			start = highest + 1
		}
		p.Status.NextSequence = start + size
		err := a.client.Status().Update(ctx, p)
		if err == nil {
			return &numberBlock{next: start, end: start + size, size: size, reservedAt: time.Now()}, nil
		}
		if !apierrors.IsConflict(err) || attempt >= 20 {
			return nil, fmt.Errorf("taking case numbers from Policy %s: %w", p.Name, err)
		}
		if err := a.reader.Get(ctx, client.ObjectKeyFromObject(p), p); err != nil {
			return nil, err
		}
	}
}

// highestIssued is the largest case number among the Policy's cases.
func (a *ReferenceAllocator) highestIssued(ctx context.Context, p *v1.Policy) (int64, error) {
	var list v1.ComplaintList
	if err := a.client.List(ctx, &list, client.InNamespace(p.Namespace), client.MatchingFields{policyNameField: p.Name}); err != nil {
		return 0, fmt.Errorf("listing the cases of Policy %s: %w", p.Name, err)
	}
	var highest int64
	for _, c := range list.Items {
		ref := c.Status.Reference
		if i := strings.LastIndexByte(ref, '-'); i >= 0 && strings.HasPrefix(ref, p.Spec.ReferencePrefix+"-") {
			if n, err := strconv.ParseInt(ref[i+1:], 10, 64); err == nil {
				highest = max(highest, n)
			}
		}
	}
	return highest, nil
}

// Recorded forgets a case's pending reference once its status holds it.
func (a *ReferenceAllocator) Recorded(caseUID types.UID) {
	a.mu.Lock()
	delete(a.pending, caseUID)
	a.mu.Unlock()
}
