/**
 * What happens to a failed node, decided here (docs/azure-facts.md §10 for the reasoning):
 * - The engine process: systemd restarts it (Restart=on-failure); the front follows it.
 * - GPUs lost while running (an Xid, a GPU off the bus): the health timer counts consecutive checks
 *   with fewer GPUs than planned and, at `gpuFailureLimit`, redeploys its own VM through Azure
 *   Resource Manager with the cluster identity (custom role: read + redeploy, on the cluster's VMs
 *   only). Redeploy moves the VM to another host and keeps its name, NIC (static address), OS and
 *   data disks, so the rank, the weights and the installed units survive; the local NVMe is wiped
 *   and re-staged by engine-env. At most `maxRedeploys` times per VM (counted on its OS disk), then
 *   the node only reports: the gpu-missing alert tells the operator to replace it.
 * - A failed boot (GPU check, architecture, disk): reported to syslog and the gpu-missing alert; no
 *   self-repair, because cloud-init runs the boot script once per VM and a redeployed VM would not
 *   run it again. The operator redeploys and re-runs it (README, Azure section).
 * - A dead host: Azure restarts the VM elsewhere itself (service healing); the node-silent alert
 *   reports the gap.
 * Not a VM Scale Set with automatic instance repairs: a repair replaces the instance from the scale
 * set's one model (one custom data for all instances, no per-instance static address), while every
 * rank here needs its own boot script and the head a known address; redeploy keeps both.
 */
import { vmRedeployRole, type CustomRoleSpec } from './identity';

/** Consecutive one-a-minute health checks with GPUs missing before the node redeploys its VM. */
export const GPU_FAILURES_BEFORE_REDEPLOY = 3;

/** Redeploys a VM may request of itself over its life before it only reports. */
export const MAX_SELF_REDEPLOYS = 2;

/** Compute API version of the redeploy call (the REST reference's example). */
export const REDEPLOY_API_VERSION = '2024-03-01';

/** The repair decision of a cluster. */
export interface AzureRepairSpec {
  readonly kind: 'redeploy-on-gpu-loss';
  /** The custom role, assigned to the cluster identity on each VM. */
  readonly role: CustomRoleSpec;
  readonly gpuFailureLimit: number;
  readonly maxRedeploys: number;
  readonly reason: string;
}

/** The repair spec for a cluster (`scope`: the resource group, when the adapters know it). */
export function azureRepair(clusterName: string, scope = ''): AzureRepairSpec {
  return {
    kind: 'redeploy-on-gpu-loss',
    role: vmRedeployRole(clusterName, scope),
    gpuFailureLimit: GPU_FAILURES_BEFORE_REDEPLOY,
    maxRedeploys: MAX_SELF_REDEPLOYS,
    reason: `a node missing GPUs for ${GPU_FAILURES_BEFORE_REDEPLOY} consecutive minutes redeploys its own VM to another host (at most ${MAX_SELF_REDEPLOYS} times), keeping its rank, address and disks; not a scale set with automatic repairs, which would replace per-rank VMs from one model`,
  };
}
