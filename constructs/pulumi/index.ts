/** Pulumi adapter of deepseek-iac: the `DeepSeekInferenceCluster` component (@pulumi/aws resources). */
export { DeepSeekInferenceCluster, COMPONENT_TYPE, type ClusterEndpoint } from './cluster';
export { LOG_RETENTION_DAYS } from '../../lib/deploy/adapter-inputs';
export { type DeepSeekInferenceClusterArgs } from './props';
export { inputError } from './errors';
