/** cdktf adapter of deepseek-iac for Azure: `DeepSeekAzureInferenceCluster` (azurerm resources). Import as `deepseek-iac/cdktf-azure`. */
export { DeepSeekAzureInferenceCluster, type DeepSeekAzureInferenceClusterProps, type AzureClusterEndpoint } from './cluster';
export { DeepSeekInferenceClusterError } from '../../../lib/deploy/cluster-error';
