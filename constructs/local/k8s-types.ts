/** The Kubernetes types the local renderer emits: lib/deploy/kubernetes/types.ts (shared with the EKS construct). */
export type * from '../../lib/deploy/kubernetes/types';
