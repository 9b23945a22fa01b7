/** cdktf adapter of deepseek-iac: the `DeepSeekInferenceCluster` construct (Terraform AWS provider bindings). */
export { DeepSeekInferenceCluster, DeepSeekInferenceClusterError, type ClusterEndpoint } from './cluster';
export { LOG_RETENTION_DAYS } from '../../lib/deploy/adapter-inputs';
export { type DeepSeekInferenceClusterProps } from './props';
