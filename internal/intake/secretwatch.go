package intake

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	toolscache "k8s.io/client-go/tools/cache"
)

// secretWatch follows one named Secret with its own informer (a field
// selector on metadata.name), independent of the manager's cache, which may
// be restricted to other namespaces by --watch-namespaces. Changes reach
// onChange within moments, so rotation needs no restart; a deleted Secret
// is reported as nil.
type secretWatch struct {
	informer     toolscache.SharedIndexInformer
	registration toolscache.ResourceEventHandlerRegistration
}

func newSecretWatch(cs corev1client.CoreV1Interface, ref types.NamespacedName, onChange func(*corev1.Secret)) (*secretWatch, error) {
	selector := fields.OneTermEqualSelector("metadata.name", ref.Name).String()
	secrets := cs.Secrets(ref.Namespace)
	lw := &toolscache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = selector
			return secrets.List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = selector
			return secrets.Watch(ctx, o)
		},
	}
	inf := toolscache.NewSharedIndexInformer(lw, &corev1.Secret{}, 0, toolscache.Indexers{})
	update := func(obj any) {
		if s, ok := obj.(*corev1.Secret); ok && s.Name == ref.Name {
			onChange(s)
		}
	}
	reg, err := inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    update,
		UpdateFunc: func(_, obj any) { update(obj) },
		DeleteFunc: func(any) { onChange(nil) },
	})
	if err != nil {
		return nil, err
	}
	return &secretWatch{informer: inf, registration: reg}, nil
}

func (w *secretWatch) run(ctx context.Context) { w.informer.RunWithContext(ctx) }

// synced is true once the handler has seen the Secret's initial state.
func (w *secretWatch) synced() bool { return w.registration.HasSynced() }
