/**
 * `azureBlueprint(plan, options)`: every decision an Azure adapter (cdktf with azurerm, Pulumi with
 * azure-native) needs, as plain data. The adapters translate it into their resources and decide
 * nothing; the conformance test (test/conformance-azure) checks that both build the same thing.
 *
 * Placement decision: one VM per rank, not a scale set. Each rank needs its own boot script (rank,
 * head address), which a uniform scale set cannot give its instances without a discovery call and
 * the extra role it needs; with static private addresses the head's address is known at synthesis.
 * Multi-node VMs share an availability set (the InfiniBand fabric is shared within an availability
 * set or a scale set's placement group: Azure CycleCloud docs, docs/azure-facts.md §2) pinned to a
 * proximity placement group; one node needs neither.
 */
import { parallelLayout } from '../naming';
import { PlanError } from '../../errors';
import type { Plan } from '../../plan/types';
import type { Decision, Issue } from '../../types';
import { clusterTags, costTagIssues, rankTags, validateClusterName } from '../naming';
import { parseModelSource, type HuggingFaceModelSource } from '../model-source';
import type { BlueprintWarning } from '../blueprint';
import { blueprintWarning } from '../blueprint-warning';
import { azureOsImage, imageLabel, osImageIssues, type AzureOsImage } from './images';
import { azureFront, type AzureFrontSpec } from './front';
import { alertEmailIssues, azureAlerts, type AzureAlertsSpec } from './alerts';
import { engineRestartGraceSeconds } from '../health';
import { azureRepair, type AzureRepairSpec } from './repair';
import { addressPlan, azureNsgRules, azurePeerIssues, DEFAULT_VNET_CIDR, type AzureAddressPlan, type NsgRuleSpec } from './network';
import { azureFabric, type AzureFabric } from './infiniband';
import { CUSTOM_DATA_MAX_BYTES, renderAzureBootScript } from './boot-script';
import { azureMonitoring, retentionIssue, type AzureMonitoringSpec } from './monitoring';
import { keyVaultName, KEY_VAULT_SECRETS_USER, type RoleAssignmentSpec } from './identity';

/** Adapter inputs besides the plan. */
export interface AzureBlueprintOptions {
  /** Names and tags every resource; at most 40 letters, digits and hyphens (VM names add a suffix). */
  readonly clusterName: string;
  /** Hugging Face repository (`org/name[@rev]` or `hf://…`). @default the plan's Hugging Face id */
  readonly modelSource?: string;
  /** Client ranges admitted to the API port (private ranges; `0.0.0.0/0` needs `allowPublicIngress`). */
  readonly allowedCidrs: readonly string[];
  /** @default false */
  readonly allowPublicIngress?: boolean;
  /** Address space of the cluster's VNet (/24 or larger). @default 10.42.0.0/16 */
  readonly vnetCidr?: string;
  /** Key Vault name (globally unique, 3–24 characters). @default derived from the cluster name */
  readonly keyVaultName?: string;
  /** Public ranges allowed to reach the vault's data plane (operators storing the key). @default none: only the node subnet */
  readonly keyVaultAllowedCidrs?: readonly string[];
  /** Name of the API-key secret in the vault. @default 'api-key' */
  readonly apiKeySecretName?: string;
  /** Name of a Hugging Face token secret in the vault (gated repositories). */
  readonly huggingFaceTokenSecretName?: string;
  /** Log Analytics retention, days (30–730). @default 30 */
  readonly logRetentionDays?: number;
  /** Cost-allocation tags for every resource, on top of the cluster tags. */
  readonly extraTags?: Readonly<Record<string, string>>;
  /**
   * Azure Compute Gallery image (version) id for the VMs instead of the Ubuntu-HPC marketplace image;
   * required on Grace (arm64) sizes, for which Azure publishes no HPC marketplace image (images.ts).
   * @default the Ubuntu-HPC 22.04 image for the GPU vendor (x86_64 only)
   */
  readonly osImageId?: string;
  /**
   * Key Vault certificate (created with content type application/x-pem-file) the API front serves
   * TLS with; its backing secret of the same name is read at each engine start.
   * @default none: the API is served over plain HTTP, and the blueprint warns
   */
  readonly tlsCertificateSecretName?: string;
  /** E-mail addresses the cluster's alerts notify (an action group). @default none: alerts fire in the portal only */
  readonly alertEmails?: readonly string[];
  /** Resource group of the cluster: only hashed into tenant-wide names (the custom redeploy role). @default none */
  readonly resourceGroupName?: string;
}

/** A managed disk. */
export interface AzureDiskSpec {
  readonly sizeGiB: number;
  readonly storageAccountType: 'Premium_LRS';
  readonly caching: 'None' | 'ReadOnly' | 'ReadWrite';
}

/** One VM: one rank. */
export interface AzureNodeSpec {
  readonly rank: number;
  readonly role: 'single' | 'head' | 'worker';
  /** VM and NIC name stem (`<cluster>-rank<r>`). */
  readonly name: string;
  readonly privateIp: string;
  /** In the load balancer's backend pool (single node / head). */
  readonly servesTraffic: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** The boot script (cloud-init runs it); the adapters base64-encode it as custom data. */
  readonly customData: string;
}

/** Everything an Azure adapter builds. */
export interface AzureBlueprint {
  readonly plan: Plan;
  readonly clusterName: string;
  readonly summary: string;
  readonly modelSource: HuggingFaceModelSource;
  readonly vmSize: string;
  readonly nodes: number;
  readonly placement: {
    readonly kind: 'single-vm' | 'availability-set';
    /** Multi-node: one availability set (InfiniBand group) in one proximity placement group. */
    readonly availabilitySet?: { readonly platformFaultDomainCount: 1; readonly platformUpdateDomainCount: 1 };
    readonly proximityPlacementGroup: boolean;
  };
  readonly osImage: AzureOsImage;
  /**
   * Security type `Standard`: no Secure Boot, no vTPM. The ND MI300X v5 guides create the VM with
   * `--security-type Standard` and AMD's driver requirements list "Secure Boot: Disabled"
   * (docs/azure-facts.md §1); the out-of-tree GPU and InfiniBand modules are not signed for it.
   */
  readonly secureBoot: false;
  readonly osDisk: AzureDiskSpec;
  /** The weights' persistent copy: LUN 0, sized from the checkpoint (≥ 500 GiB). */
  readonly dataDisk: AzureDiskSpec & { readonly lun: number };
  /** The local NVMe as the load cache. */
  readonly loadCache: { readonly kind: 'local-nvme' | 'none'; readonly localNvmeGB: number };
  readonly fabric: AzureFabric;
  readonly network: {
    readonly addresses: AzureAddressPlan;
    readonly nsgRules: readonly NsgRuleSpec[];
    /** Egress for the image pull, the weights and the Azure APIs: a NAT gateway with one Standard public IP. */
    readonly natGateway: { readonly idleTimeoutMinutes: number };
    /** The subnet reaches Key Vault over a service endpoint (the vault admits this subnet only). */
    readonly subnetServiceEndpoints: readonly string[];
  };
  readonly loadBalancer: {
    readonly sku: 'Standard';
    readonly internal: true;
    readonly frontendPrivateIp: string;
    readonly port: number;
    /** Targets the API front on the plan's port: HTTPS when the front serves TLS. */
    readonly probe: { readonly protocol: 'Http' | 'Https'; readonly port: number; readonly requestPath: string; readonly intervalSeconds: number; readonly numberOfProbes: number };
    readonly rule: { readonly protocol: 'Tcp'; readonly frontendPort: number; readonly backendPort: number; readonly idleTimeoutMinutes: number; readonly disableOutboundSnat: true };
  };
  readonly vms: readonly AzureNodeSpec[];
  /** The one user-assigned identity of every VM and its only role assignment. */
  readonly identity: { readonly name: string; readonly roleAssignments: readonly RoleAssignmentSpec[] };
  readonly keyVault: {
    readonly name: string;
    readonly uri: string;
    readonly skuName: 'standard';
    readonly enableRbacAuthorization: true;
    readonly purgeProtectionEnabled: true;
    readonly softDeleteRetentionDays: number;
    readonly networkAcls: { readonly defaultAction: 'Deny'; readonly bypass: 'AzureServices'; readonly ipRules: readonly string[] };
    readonly apiKeySecretName: string;
    readonly huggingFaceTokenSecretName?: string;
  };
  readonly monitoring: AzureMonitoringSpec;
  /** The authenticating API front on the serving rank (the engine listens on loopback behind it). */
  readonly front: AzureFrontSpec;
  /** Azure Monitor alerts (log alerts on the workspace, a metric alert on the load balancer). */
  readonly alerts: AzureAlertsSpec;
  /** Failed nodes: a node that keeps losing GPUs redeploys its own VM (custom role on each VM). */
  readonly repair: AzureRepairSpec;
  readonly tags: Readonly<Record<string, string>>;
  readonly cost: { readonly hourlyUsd?: number; readonly description: string };
  readonly decisions: readonly Decision[];
  readonly warnings: readonly BlueprintWarning[];
}

/** OS disk: the Ubuntu-HPC image is ~60 GB and Docker keeps the engine image (tens of GB) on it. */
export const AZURE_OS_DISK_GIB = 256;
/** LUN of the weights disk (the boot script finds it at /dev/disk/azure/scsi1/lun0). */
export const DATA_DISK_LUN = 0;
/** Largest Premium SSD managed disk, GiB (Microsoft Learn, managed disk types). */
export const MAX_PREMIUM_DISK_GIB = 32_767;
/** Longest cluster name on Azure: VM names (64) minus `-rank<nn>` and resource suffixes. */
export const MAX_AZURE_CLUSTER_NAME_LENGTH = 40;
/** Key Vault soft-delete retention, days (the maximum, 7–90). */
export const KEY_VAULT_SOFT_DELETE_DAYS = 90;
/** Default name of the API-key secret. */
export const DEFAULT_API_KEY_SECRET_NAME = 'api-key';
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;

/** Every problem with the options for this plan, without building anything. */
export function azureBlueprintIssues(plan: Plan, options: AzureBlueprintOptions): Issue[] {
  const issues: Issue[] = [];
  try {
    validateClusterName(options.clusterName);
  } catch (e) {
    if (e instanceof PlanError) issues.push(...e.issues); else throw e;
  }
  if (options.clusterName.length > MAX_AZURE_CLUSTER_NAME_LENGTH) {
    issues.push({ path: 'clusterName', message: `${JSON.stringify(options.clusterName)} is longer than ${MAX_AZURE_CLUSTER_NAME_LENGTH} characters (Azure VM names add -rank<n>)` });
  }
  if (plan.topology.target !== 'azure') issues.push({ path: 'target', message: `the plan targets ${plan.topology.target}; the Azure blueprint needs target "azure"` });
  // Grace (GB200/GB300) hosts are arm64: they need a gallery image (no arm64 HPC marketplace image).
  issues.push(...osImageIssues(plan, options.osImageId));
  issues.push(...alertEmailIssues(options.alertEmails));
  const source = options.modelSource ?? plan.model.hfId;
  if (source === undefined) {
    issues.push({ path: 'modelSource', message: 'the model has no Hugging Face id; give modelSource (org/name[@revision])' });
  } else {
    try {
      if (parseModelSource(source).kind !== 'huggingface') issues.push({ path: 'modelSource', message: `${JSON.stringify(source)}: Azure nodes download from Hugging Face; use org/name[@revision] or hf://org/name` });
    } catch (e) {
      if (e instanceof PlanError) issues.push(...e.issues); else throw e;
    }
  }
  if (options.allowedCidrs.length === 0) issues.push({ path: 'allowedCidrs', message: 'name at least one client range (CIDR) that may call the API' });
  issues.push(...azurePeerIssues(options.allowedCidrs, options.allowPublicIngress ?? false));
  addressPlan(options.vnetCidr ?? DEFAULT_VNET_CIDR, plan.topology.nodes, issues);
  if (plan.storage.volumeGiB > MAX_PREMIUM_DISK_GIB) issues.push({ path: 'storage.volumeGiB', message: `${plan.storage.volumeGiB} GiB exceeds the largest Premium SSD (${MAX_PREMIUM_DISK_GIB} GiB)` });
  for (const [path, name] of [['apiKeySecretName', options.apiKeySecretName], ['huggingFaceTokenSecretName', options.huggingFaceTokenSecretName], ['tlsCertificateSecretName', options.tlsCertificateSecretName]] as const) {
    if (name !== undefined && !SECRET_NAME.test(name)) issues.push({ path, message: `${JSON.stringify(name)} is not a Key Vault secret name (1–127 letters, digits, hyphens)` });
  }
  if (options.keyVaultName !== undefined && !/^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(options.keyVaultName)) {
    issues.push({ path: 'keyVaultName', message: `${JSON.stringify(options.keyVaultName)} is not a Key Vault name (3–24 letters, digits and single hyphens, starting with a letter)` });
  }
  const retention = retentionIssue(options.logRetentionDays);
  if (retention) issues.push(retention);
  if (options.extraTags) issues.push(...costTagIssues(options.extraTags));
  return issues;
}

/**
 * Derive the Azure deployment of a plan.
 * @throws PlanError with every problem (see azureBlueprintIssues), or a boot script over Azure's custom-data limit.
 */
export function azureBlueprint(plan: Plan, options: AzureBlueprintOptions): AzureBlueprint {
  const issues = azureBlueprintIssues(plan, options);
  if (issues.length > 0) throw new PlanError(issues);
  const clusterName = options.clusterName;
  const source = parseModelSource(options.modelSource ?? plan.model.hfId!) as HuggingFaceModelSource;
  const t = plan.topology;
  const nodes = t.nodes;
  const addresses = addressPlan(options.vnetCidr ?? DEFAULT_VNET_CIDR, nodes, [])!;
  const tags = { ...options.extraTags, ...clusterTags(plan, clusterName) };
  const summary = azureSummary(plan);
  const fabric = azureFabric(plan);
  const vaultName = options.keyVaultName ?? keyVaultName(clusterName);
  const vaultUri = `https://${vaultName}.vault.azure.net`;
  const apiKeySecretName = options.apiKeySecretName ?? DEFAULT_API_KEY_SECRET_NAME;
  const useNvme = plan.storage.localNvmeGB * 1e9 >= plan.storage.checkpointBytes;
  const decisions: Decision[] = [];
  const warnings: BlueprintWarning[] = [];

  const vms: AzureNodeSpec[] = addresses.nodeIps.map((ip, rank) => {
    const customData = renderAzureBootScript({
      plan, rank, clusterName, modelSource: source, dataDiskLun: DATA_DISK_LUN, dataDiskGiB: plan.storage.volumeGiB,
      keyVaultUri: vaultUri, apiKeySecretName,
      ...(options.huggingFaceTokenSecretName !== undefined ? { huggingFaceTokenSecretName: options.huggingFaceTokenSecretName } : {}),
      headAddress: addresses.nodeIps[0], nodeAddress: ip, useLocalNvmeCache: useNvme,
      fabricEnv: fabric.env, fabricDockerOptions: fabric.dockerOptions, summary,
      ...(options.tlsCertificateSecretName !== undefined ? { tlsCertificateSecretName: options.tlsCertificateSecretName } : {}),
    });
    const bytes = Buffer.byteLength(customData, 'utf8');
    if (bytes > CUSTOM_DATA_MAX_BYTES) issues.push({ path: 'customData', message: `rank ${rank} boot script is ${bytes} bytes, over Azure's ${CUSTOM_DATA_MAX_BYTES}` });
    return {
      rank,
      role: nodes === 1 ? 'single' : rank === 0 ? 'head' : 'worker',
      name: `${clusterName}-rank${rank}`,
      privateIp: ip,
      servesTraffic: rank === 0,
      tags: { ...tags, ...rankTags(rank) },
      customData,
    };
  });
  if (issues.length > 0) throw new PlanError(issues);

  const osImage = azureOsImage(plan, options.osImageId);
  const front = azureFront(plan, options.tlsCertificateSecretName);
  const repair = azureRepair(clusterName, options.resourceGroupName);
  decisions.push(
    { field: 'azure.placement', value: nodes > 1 ? 'availability set + proximity placement group' : 'single VM', reason: nodes > 1 ? 'one VM per rank with its own boot script and static address; the availability set is the InfiniBand group, the proximity placement group keeps the VMs close' : 'one node: no InfiniBand group needed' },
    { field: 'azure.osImage', value: imageLabel(osImage), reason: osImage.reason },
    { field: 'azure.repair', value: repair.kind, reason: repair.reason },
    { field: 'azure.apiFront', value: `nginx on port ${front.listenPort} (${front.scheme}), engine on ${front.engineHost}:${front.enginePort}`, reason: 'only /v1/... with the key and the health path reach the engine; the load balancer rule and probe target the front' },
    { field: 'azure.securityType', value: 'Standard', reason: 'no Secure Boot / vTPM: the GPU (ROCm, NVIDIA) and InfiniBand kernel modules of the HPC images need it off' },
    { field: 'azure.dataDiskGiB', value: String(plan.storage.volumeGiB), reason: `Premium SSD at LUN ${DATA_DISK_LUN}: the plan's volume (≥ 500 GiB, and the ${(plan.storage.checkpointBytes / 1e9).toFixed(1)} GB checkpoint with the core's headroom)` },
    { field: 'azure.loadCache', value: useNvme ? 'local NVMe' : 'none', reason: useNvme ? `the ${plan.storage.localNvmeGB} GB local disk holds the checkpoint: the engine loads from it` : `the ${plan.storage.localNvmeGB} GB local disk is smaller than the checkpoint: the engine loads from the data disk` },
    { field: 'azure.fabric', value: fabric.kind, reason: fabric.reason },
    { field: 'azure.identity', value: 'Key Vault Secrets User on the cluster vault; VM read + redeploy on the cluster\'s VMs', reason: 'the nodes read the API key and can move their own VM off a host whose GPUs failed; no other role' },
  );
  if (plan.cost.hourlyUsd === undefined) {
    warnings.push(blueprintWarning('DSIAC-AZ1', `${t.instanceType} has no catalog price: the stack carries no cost estimate (plan with --price ${t.instanceType}=USD)`));
  }
  if (options.tlsCertificateSecretName === undefined) {
    warnings.push(blueprintWarning('DSIAC-AZ2', 'the API is served without TLS (no tlsCertificateSecretName): the API key and every prompt cross the network in plain text; store a PEM certificate in the vault and name it, and allow only trusted peers'));
  }
  const cost = plan.cost.hourlyUsd === undefined
    ? { description: `${nodes} × ${t.instanceType}: unpriced (pass --price / priceOverrides)` }
    : { hourlyUsd: plan.cost.hourlyUsd, description: `${nodes} × ${t.instanceType}: $${plan.cost.hourlyUsd.toFixed(2)}/h (${plan.cost.priceRegion ?? 'region unknown'}, ${plan.cost.priceDate ?? 'date unknown'}); VM compute only, not disks, NAT or logs` };

  return {
    plan, clusterName, summary, modelSource: source,
    vmSize: t.instanceType,
    nodes,
    placement: nodes > 1
      ? { kind: 'availability-set', availabilitySet: { platformFaultDomainCount: 1, platformUpdateDomainCount: 1 }, proximityPlacementGroup: true }
      : { kind: 'single-vm', proximityPlacementGroup: false },
    osImage,
    secureBoot: false,
    osDisk: { sizeGiB: AZURE_OS_DISK_GIB, storageAccountType: 'Premium_LRS', caching: 'ReadWrite' },
    // Caching None: disks over 4095 GiB allow no host cache, and the weights are read once into the NVMe cache.
    dataDisk: { lun: DATA_DISK_LUN, sizeGiB: plan.storage.volumeGiB, storageAccountType: 'Premium_LRS', caching: 'None' },
    loadCache: { kind: useNvme ? 'local-nvme' : 'none', localNvmeGB: plan.storage.localNvmeGB },
    fabric,
    network: {
      addresses,
      nsgRules: azureNsgRules(plan, options.allowedCidrs, addresses),
      natGateway: { idleTimeoutMinutes: 4 },
      subnetServiceEndpoints: ['Microsoft.KeyVault'],
    },
    loadBalancer: {
      sku: 'Standard', internal: true, frontendPrivateIp: addresses.loadBalancerIp, port: plan.serving.port,
      probe: { protocol: front.scheme === 'https' ? 'Https' : 'Http', port: front.listenPort, requestPath: plan.serving.healthPath, intervalSeconds: 15, numberOfProbes: 2 },
      rule: { protocol: 'Tcp', frontendPort: plan.serving.port, backendPort: plan.serving.port, idleTimeoutMinutes: 30, disableOutboundSnat: true },
    },
    vms,
    identity: { name: `${clusterName}-nodes`, roleAssignments: [KEY_VAULT_SECRETS_USER] },
    keyVault: {
      name: vaultName, uri: vaultUri, skuName: 'standard', enableRbacAuthorization: true, purgeProtectionEnabled: true,
      softDeleteRetentionDays: KEY_VAULT_SOFT_DELETE_DAYS,
      networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [...(options.keyVaultAllowedCidrs ?? [])] },
      apiKeySecretName,
      ...(options.huggingFaceTokenSecretName !== undefined ? { huggingFaceTokenSecretName: options.huggingFaceTokenSecretName } : {}),
    },
    monitoring: azureMonitoring(options.logRetentionDays),
    front,
    repair,
    alerts: azureAlerts(clusterName, vms.map((vm) => vm.name), engineRestartGraceSeconds(plan.storage.checkpointBytes) / 60, options.alertEmails),
    tags,
    cost,
    decisions,
    warnings,
  };
}

/**
 * One line describing the plan on Azure, for logs and stack outputs, e.g.
 * `deepseek-r1 fp8: 1 × Standard_ND96isr_MI300X_v5 (8 × mi300x, TP 8 PP 1), sglang, weights 688.5 GB on 740 GiB Premium SSD, $48.00/h`.
 */
export function azureSummary(plan: Plan): string {
  const t = plan.topology;
  const fabric = t.nodes > 1 ? `, ${t.interconnect}` : '';
  const cost = plan.cost.hourlyUsd === undefined ? 'unpriced' : `$${plan.cost.hourlyUsd.toFixed(2)}/h`;
  return `${plan.model.id} ${plan.precision.weights}: ${t.nodes} × ${t.instanceType} (${t.gpusPerNode} × ${t.gpu}, ${parallelLayout(t)}${fabric}), ${plan.engine}, weights ${(plan.storage.checkpointBytes / 1e9).toFixed(1)} GB on ${plan.storage.volumeGiB} GiB Premium SSD, ${cost}`;
}
