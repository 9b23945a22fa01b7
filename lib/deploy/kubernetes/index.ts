/**
 * The Kubernetes serving workload of a plan (framework-free): Deployment or LeaderWorkerSet,
 * weights claim, Service. Shared by the local `--k8s` output and the EKS construct.
 */
export * from './types';
export * from './launch';
export * from './workload';
export * from './api-front';
export * from './images';
