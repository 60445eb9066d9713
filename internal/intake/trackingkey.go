package intake

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// trackingKeyData is the data key of the installation key Secret.
const trackingKeyData = "key"

// loadTrackingKey reads the installation key (32 random bytes), creating its
// Secret on first use. Every replica reads the same key, so an idempotent
// retry answered by another replica, or after a restart, gets the same
// tracking token. Replicas starting together race on the create; the loser
// reads the winner's key.
func loadTrackingKey(ctx context.Context, writer client.Client, reader client.Reader, ref types.NamespacedName) ([]byte, error) {
	for {
		sec := &corev1.Secret{}
		err := reader.Get(ctx, ref, sec)
		if err == nil {
			key := sec.Data[trackingKeyData]
			if len(key) < 32 {
				return nil, fmt.Errorf("secret %s: data key %q must hold at least 32 bytes", ref, trackingKeyData)
			}
			return key, nil
		}
		if !apierrors.IsNotFound(err) {
			return nil, err
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		sec = &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{
				Name: ref.Name, Namespace: ref.Namespace,
				Labels: map[string]string{"app.kubernetes.io/name": "redress", "app.kubernetes.io/component": "intake"},
			},
			Type: corev1.SecretTypeOpaque,
			Data: map[string][]byte{trackingKeyData: key},
		}
		err = writer.Create(ctx, sec)
		if err == nil {
			return key, nil
		}
		if !apierrors.IsAlreadyExists(err) {
			return nil, err
		}
	}
}

// keepLoadingTrackingKey retries loadTrackingKey until it succeeds or ctx ends.
func (s *Server) keepLoadingTrackingKey(ctx context.Context) {
	_ = wait.PollUntilContextCancel(ctx, time.Second, true, func(ctx context.Context) (bool, error) {
		key, err := loadTrackingKey(ctx, s.store.writer, s.store.reader, s.cfg.trackingKeySecret)
		if err != nil {
			s.log.Error(err, "cannot load the intake tracking key; idempotent requests get 503 until it loads", "secret", s.cfg.trackingKeySecret.String())
			return false, nil
		}
		s.trackingKey.Store(&key)
		return true, nil
	})
}
