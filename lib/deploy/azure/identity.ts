/**
 * The nodes' identity: one user-assigned managed identity on every VM, with one role assignment,
 * Key Vault Secrets User scoped to the cluster's vault ("Read secret contents"; built-in role id
 * 4633458b-17de-408a-b874-0445c86b69e6, Microsoft Learn built-in roles, docs/azure-facts.md §4).
 * The vault uses Azure RBAC (no access policies), so this assignment is the only way in.
 */

/** A role assignment the adapters create. */
export interface RoleAssignmentSpec {
  readonly roleName: string;
  /** Built-in role definition GUID (the adapter prefixes the subscription's role-definition path). */
  readonly roleDefinitionId: string;
  /** What it is scoped to. */
  readonly scope: 'keyVault';
  readonly reason: string;
}

/** Key Vault Secrets User on the vault. */
export const KEY_VAULT_SECRETS_USER: RoleAssignmentSpec = {
  roleName: 'Key Vault Secrets User',
  roleDefinitionId: '4633458b-17de-408a-b874-0445c86b69e6',
  scope: 'keyVault',
  reason: 'read the API key (and a Hugging Face token) from the cluster vault; no write, no other vault',
};

/** 32-bit FNV-1a of a string, as 8 hex digits (a stable suffix; lib/ stays free of node:crypto). */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Default vault name: `kv-` + up to 12 characters of the cluster name + `-` + 8 hex digits of the
 * hash of the cluster name and `scope` (the adapters pass the resource group), at most 24
 * characters (Key Vault names: 3–24 letters, digits and hyphens, starting with a letter, no
 * consecutive hyphens; globally unique, so pass keyVaultName when it is taken).
 */
export function keyVaultName(clusterName: string, scope = ''): string {
  const stem = clusterName.toLowerCase().replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').slice(0, 12).replace(/-$/, '');
  return `kv-${stem}-${fnv1a(scope === '' ? clusterName : `${clusterName}/${scope}`)}`.replace(/--+/g, '-');
}

/**
 * The one custom role: redeploy a VM (Azure shuts it down, moves it to another host and powers it
 * back on: REST "Virtual Machines - Redeploy", https://learn.microsoft.com/rest/api/compute/virtual-machines/redeploy)
 * and read it. Assigned to the cluster identity on each VM of the cluster only; the health timer of
 * a node that keeps losing GPUs redeploys its own VM (repair.ts).
 */
export interface CustomRoleSpec {
  /** Role definition GUID (deterministic per cluster and resource group: role names and ids are tenant-wide). */
  readonly id: string;
  /** Display name, unique in the tenant. */
  readonly name: string;
  readonly description: string;
  readonly actions: readonly string[];
}

/** Actions of the redeploy role: the least the node needs to move itself off a failed host. */
export const VM_REDEPLOY_ACTIONS = ['Microsoft.Compute/virtualMachines/read', 'Microsoft.Compute/virtualMachines/redeploy/action'] as const;

/** A GUID-shaped id from four FNV-1a hashes of `seed` (stable across syntheses; version nibble 4, variant 8). */
export function stableGuid(seed: string): string {
  const hex = [0, 1, 2, 3].map((i) => fnv1a(`${i}:${seed}`)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The redeploy role of a cluster (`scope`: the adapters pass the resource group, as for the vault name). */
export function vmRedeployRole(clusterName: string, scope = ''): CustomRoleSpec {
  const seed = scope === '' ? clusterName : `${clusterName}/${scope}`;
  return {
    id: stableGuid(`vm-redeploy/${seed}`),
    name: `deepseek-iac VM redeploy ${clusterName} ${fnv1a(seed)}`,
    description: `Lets the nodes of deepseek-iac cluster ${clusterName} read and redeploy their own VMs (GPU loss), nothing else`,
    actions: [...VM_REDEPLOY_ACTIONS],
  };
}
