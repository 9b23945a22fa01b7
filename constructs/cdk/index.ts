/** AWS CDK adapter of deepseek-iac: the `DeepSeekInferenceCluster` construct. */
export { DeepSeekInferenceCluster, DeepSeekInferenceClusterError, type ClusterEndpoint } from './cluster';
export type { DeepSeekInferenceClusterProps } from './props';
