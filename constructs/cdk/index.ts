/** AWS CDK adapter of deepseek-iac: the `DeepSeekInferenceCluster` construct (EC2 Auto Scaling) and `DeepSeekEksInference` (EKS). */
export { DeepSeekInferenceCluster, DeepSeekInferenceClusterError, type ClusterEndpoint } from './cluster';
export type { DeepSeekInferenceClusterProps } from './props';
export { acknowledgeNotice } from './acknowledgements';
export type { NoticeCode } from '../../lib/notices';
export { DeepSeekEksInference, KarpenterInstallation, type DeepSeekEksInferenceProps, type KarpenterInstallationProps } from './eks';
