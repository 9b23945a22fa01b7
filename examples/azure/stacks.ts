/**
 * The Azure reference deployments, shared by the cdktf app (bin/azure-app.ts), the Pulumi program
 * (examples/azure/pulumi/index.ts) and the tests. Planning fields only, plus documentation
 * placement values (resource group, region, a dummy SSH key) that synthesize but do not deploy:
 * override them from the environment (README).
 */
import type { AzureClusterInputs } from '../../lib/deploy/azure';

/**
 * Placement every reference stack shares; the environment overrides it (AZURE_RESOURCE_GROUP,
 * AZURE_LOCATION, ALLOWED_CIDR, SSH_PUBLIC_KEY) and may add TLS_CERT_SECRET (a Key Vault PEM
 * certificate the API front serves) and ALERT_EMAIL (who the alerts notify).
 */
export function referencePlacement(env: NodeJS.ProcessEnv = process.env): Pick<AzureClusterInputs, 'resourceGroupName' | 'location' | 'allowedCidrs' | 'adminSshPublicKey' | 'tlsCertificateSecretName' | 'alertEmails'> {
  return {
    ...(env.TLS_CERT_SECRET ? { tlsCertificateSecretName: env.TLS_CERT_SECRET } : {}),
    ...(env.ALERT_EMAIL ? { alertEmails: [env.ALERT_EMAIL] } : {}),
    resourceGroupName: env.AZURE_RESOURCE_GROUP ?? 'deepseek-iac',
    location: env.AZURE_LOCATION ?? 'eastus',
    allowedCidrs: [env.ALLOWED_CIDR ?? '10.0.0.0/8'],
    // Documentation key (RFC 8709 example shape): replace with yours.
    adminSshPublicKey: env.SSH_PUBLIC_KEY ?? 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeepseekIacDocumentationKeyReplaceMe0000000 you@example',
  };
}

/**
 * Stack name → planning fields.
 * - R1 FP8 on one ND MI300X v5 with SGLang's ROCm image: 671 B parameters at 1 byte (+ block scales,
 *   688 GB checkpoint) in 8 × 192 GiB; SGLang is what Microsoft's "Running DeepSeek-R1 on a single
 *   NDv5 MI300X VM" walkthrough serves R1 with (techcommunity.microsoft.com, 2025-01; docs/azure-facts.md §8).
 * - R1 FP8 on one ND H200 v5 with vLLM: 688 GB in 8 × 141 GB (documented fit in README).
 */
export const AZURE_REFERENCE_STACKS: Readonly<Record<string, Omit<AzureClusterInputs, 'resourceGroupName' | 'location' | 'allowedCidrs' | 'adminSshPublicKey'>>> = {
  'deepseek-r1-mi300x': { model: 'deepseek-r1', precision: 'fp8', gpus: ['mi300x'], engine: 'sglang', maxNodes: 1, clusterName: 'r1-mi300x' },
  'deepseek-r1-h200': { model: 'deepseek-r1', precision: 'fp8', gpus: ['h200'], engine: 'vllm', maxNodes: 1, clusterName: 'r1-h200' },
};
