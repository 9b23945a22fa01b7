/**
 * What a synthesized Azure cluster deploys, in one shape for both adapters (`ObservedAzureCluster`).
 * Each reader (observe-cdktf.ts, observe-pulumi.ts) turns its framework's output into it; the test
 * compares the two and checks both against the plan.
 */
export interface ObservedAzureVm {
  readonly rank: number;
  readonly vmSize: string;
  readonly privateIp: string;
  readonly image: string;
  readonly osDiskGiB: number;
  readonly dataDisk: { readonly lun: number; readonly sizeGiB: number; readonly caching: string; readonly storageAccountType: string };
  /** User-assigned identities on the VM. */
  readonly identities: number;
  readonly inBackendPool: boolean;
  readonly inAvailabilitySet: boolean;
  readonly inProximityPlacementGroup: boolean;
  readonly acceleratedNetworking: boolean;
  /** Secure Boot on (TrustedLaunch / secure_boot_enabled). */
  readonly secureBoot: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** The decoded custom data (cloud-init boot script). */
  readonly customData: string;
}

export interface ObservedNsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sources: readonly string[];
  readonly destinationPortRange: string;
}

export interface ObservedAzureCluster {
  readonly vms: readonly ObservedAzureVm[];
  readonly nsgRules: readonly ObservedNsgRule[];
  readonly loadBalancer: {
    readonly sku: string;
    /** Frontend has a private address in the subnet and no public IP. */
    readonly internal: boolean;
    readonly frontendPrivateIp: string;
    readonly probe: { readonly protocol: string; readonly port: number; readonly path: string };
    readonly rule: { readonly protocol: string; readonly frontendPort: number; readonly backendPort: number };
  };
  /** The custom redeploy role: its actions, and on how many of the cluster's VMs the cluster identity holds it. */
  readonly repairRole: { readonly actions: readonly string[]; readonly assignedOnVms: number; readonly vms: number; readonly principalIsClusterIdentity: boolean };
  /** Role assignments with built-in roles: role GUID and what the scope is. */
  readonly roleAssignments: readonly { readonly roleDefinitionGuid: string; readonly scope: 'keyVault' | 'other'; readonly principalIsClusterIdentity: boolean }[];
  readonly keyVault: { readonly rbac: boolean; readonly purgeProtection: boolean; readonly defaultAction: string; readonly subnetRule: boolean };
  /** Secrets created by the IaC (must be none: the value would land in the state). */
  readonly keyVaultSecrets: number;
  readonly natGateway: boolean;
  /** Azure Monitor alerts: what each watches, on which scope, and whom they notify. */
  readonly alerts: {
    readonly logAlerts: readonly { readonly name: string; readonly severity: number; readonly query: string; readonly windowSize: string; readonly threshold: number; readonly onWorkspace: boolean; readonly notifies: boolean }[];
    readonly metricAlerts: readonly { readonly name: string; readonly metricName: string; readonly operator: string; readonly threshold: number; readonly onLoadBalancer: boolean; readonly notifies: boolean }[];
    readonly actionGroupEmails: readonly string[];
  };
  readonly syslogFacilities: readonly string[];
  readonly monitorAgents: number;
}

/** Sort NSG rules by priority. */
export function sortNsg(rules: readonly ObservedNsgRule[]): ObservedNsgRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority);
}
