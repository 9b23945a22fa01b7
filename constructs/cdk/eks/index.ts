/** EKS adapter: `DeepSeekEksInference` serves a plan on an EKS cluster with Karpenter GPU nodes. */
export { DeepSeekEksInference } from './inference';
export type { DeepSeekEksInferenceProps } from './props';
export { KarpenterInstallation, type KarpenterInstallationProps } from './karpenter';
