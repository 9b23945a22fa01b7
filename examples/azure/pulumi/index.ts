/**
 * Pulumi program of the Azure reference stacks: the stack's `deepseek-iac-azure:reference` config
 * picks one of examples/azure/stacks.ts (`deepseek-r1-mi300x` by default). Placement comes from the
 * environment as in the cdktf app (AZURE_RESOURCE_GROUP, AZURE_LOCATION, ALLOWED_CIDR, SSH_PUBLIC_KEY).
 * `pulumi up` needs the Pulumi CLI and `az login`; in your own project import from
 * `deepseek-iac/pulumi-azure` instead of the relative path.
 */
import * as pulumi from '@pulumi/pulumi';
import { DeepSeekAzureInferenceCluster } from '../../../constructs/pulumi/azure';
import { AZURE_REFERENCE_STACKS, referencePlacement } from '../stacks';

const reference = new pulumi.Config().get('reference') ?? 'deepseek-r1-mi300x';
const inputs = AZURE_REFERENCE_STACKS[reference];
if (!inputs) throw new Error(`unknown reference ${reference}; one of ${Object.keys(AZURE_REFERENCE_STACKS).join(', ')}`);
const cluster = new DeepSeekAzureInferenceCluster(reference, { ...inputs, ...referencePlacement() });

export const apiUrl = cluster.endpoint.url;
export const keyVault = cluster.blueprint.keyVault.name;
export const storeApiKey = `az keyvault secret set --vault-name ${cluster.blueprint.keyVault.name} --name ${cluster.blueprint.keyVault.apiKeySecretName} --value <key>`;
export const plan = cluster.blueprint.summary;
export const hourlyCostUsd = cluster.hourlyCostUsd;
