/**
 * EKS deployment decisions (framework-free): Karpenter NodePool and EC2NodeClass, pinned charts,
 * model cache, IAM as data, and `eksLayout`, which gathers them with the Kubernetes workload.
 */
export * from './versions';
export * from './karpenter';
export * from './cache';
export * from './iam';
export * from './layout';
