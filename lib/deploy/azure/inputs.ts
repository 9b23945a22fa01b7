/**
 * The inputs both Azure adapters take (cdktf props, Pulumi args): the planning fields of a
 * `DeploymentSpec` (target azure implied) and the placement fields of `AzureBlueprintOptions`, plus
 * where the resources go. `planAzure` turns them into the plan and the blueprint, collecting every
 * problem, so both adapters accept and reject the same inputs.
 */
import { isPlanError } from '../../errors';
import type { Plan } from '../../plan/types';
import { DEPLOYMENT_SPEC_KEYS } from '../../input/from-props';
import type { DeploymentSpec } from '../../input/types';
import type { Issue } from '../../types';
import { planWithOverrides } from '../../plan/overrides';
import { azureBlueprint, azureBlueprintIssues, type AzureBlueprint, type AzureBlueprintOptions } from './blueprint';
import { keyVaultName } from './identity';

/** What a caller gives an Azure adapter. Every field is a plain value (planning happens at synthesis). */
export interface AzureClusterInputs extends Omit<DeploymentSpec, 'target' | 'localHosts'>, Omit<AzureBlueprintOptions, 'clusterName' | 'extraTags'> {
  /** Existing resource group every resource is created in. */
  readonly resourceGroupName: string;
  /** Azure region (`eastus`, `westus3`, …) with quota for the planned VM size. */
  readonly location: string;
  /** OpenSSH public key of the VMs' admin user (no inbound SSH rule exists: reach the VMs through Azure Bastion). */
  readonly adminSshPublicKey: string;
  /** Cluster name (tags, resource names). @default the construct / resource name */
  readonly clusterName?: string;
  /** Cost-allocation tags on every resource. @default none */
  readonly costAllocationTags?: Readonly<Record<string, string>>;
}

/** The planning fields of the inputs as a DeploymentSpec for target azure. */
export function azureSpecFromInputs(inputs: object): DeploymentSpec {
  const spec: Record<string, unknown> = { target: 'azure' };
  for (const [k, v] of Object.entries(inputs)) {
    if (v !== undefined && DEPLOYMENT_SPEC_KEYS.has(k) && k !== 'target' && k !== 'localHosts') spec[k] = v;
  }
  return spec as DeploymentSpec;
}

/** Blueprint options from the inputs and the cluster name. */
export function azureOptionsFromInputs(inputs: AzureClusterInputs, clusterName: string): AzureBlueprintOptions {
  return {
    clusterName,
    allowedCidrs: inputs.allowedCidrs ?? [],
    ...(inputs.modelSource !== undefined ? { modelSource: inputs.modelSource } : {}),
    ...(inputs.allowPublicIngress !== undefined ? { allowPublicIngress: inputs.allowPublicIngress } : {}),
    ...(inputs.vnetCidr !== undefined ? { vnetCidr: inputs.vnetCidr } : {}),
    // The default vault name hashes the resource group in too: vault names are global.
    keyVaultName: inputs.keyVaultName ?? keyVaultName(clusterName, inputs.resourceGroupName),
    ...(inputs.keyVaultAllowedCidrs !== undefined ? { keyVaultAllowedCidrs: inputs.keyVaultAllowedCidrs } : {}),
    ...(inputs.apiKeySecretName !== undefined ? { apiKeySecretName: inputs.apiKeySecretName } : {}),
    ...(inputs.huggingFaceTokenSecretName !== undefined ? { huggingFaceTokenSecretName: inputs.huggingFaceTokenSecretName } : {}),
    ...(inputs.logRetentionDays !== undefined ? { logRetentionDays: inputs.logRetentionDays } : {}),
    ...(inputs.costAllocationTags !== undefined ? { extraTags: inputs.costAllocationTags } : {}),
    ...(inputs.osImageId !== undefined ? { osImageId: inputs.osImageId } : {}),
    ...(inputs.tlsCertificateSecretName !== undefined ? { tlsCertificateSecretName: inputs.tlsCertificateSecretName } : {}),
    ...(inputs.alertEmails !== undefined ? { alertEmails: inputs.alertEmails } : {}),
    ...(typeof inputs.resourceGroupName === 'string' ? { resourceGroupName: inputs.resourceGroupName } : {}),
  };
}

/** Plan and blueprint, or every problem with the inputs. */
export function planAzure(inputs: AzureClusterInputs, clusterName: string): { plan: Plan; blueprint: AzureBlueprint } | { issues: Issue[] } {
  const issues: Issue[] = [];
  for (const key of ['resourceGroupName', 'location', 'adminSshPublicKey'] as const) {
    if (typeof inputs[key] !== 'string' || inputs[key].trim() === '') issues.push({ path: key, message: `${key} is required (a non-empty string)` });
  }
  if (typeof inputs.adminSshPublicKey === 'string' && inputs.adminSshPublicKey.trim() !== '' && !/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/.test(inputs.adminSshPublicKey)) {
    issues.push({ path: 'adminSshPublicKey', message: 'not an OpenSSH public key (ssh-ed25519 AAAA… / ssh-rsa AAAA…)' });
  }
  let plan: Plan | undefined;
  try {
    plan = planWithOverrides(azureSpecFromInputs(inputs));
  } catch (e) {
    if (!isPlanError(e)) throw e;
    issues.push(...e.issues);
  }
  const options = azureOptionsFromInputs(inputs, clusterName);
  if (plan) issues.push(...azureBlueprintIssues(plan, options));
  if (issues.length > 0 || !plan) return { issues };
  return { plan, blueprint: azureBlueprint(plan, options) };
}

/** Admin user of the VMs (password login disabled). */
export const AZURE_ADMIN_USERNAME = 'azureuser';
