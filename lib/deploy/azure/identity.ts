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
