/** Pulumi adapter of deepseek-iac for Azure: the `DeepSeekAzureInferenceCluster` component (@pulumi/azure-native). Import as `deepseek-iac/pulumi-azure`. */
export { DeepSeekAzureInferenceCluster, AZURE_COMPONENT_TYPE, type DeepSeekAzureInferenceClusterArgs, type AzureClusterEndpoint } from './cluster';
