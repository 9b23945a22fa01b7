/**
 * InfiniBand settings for a multi-node plan on the ND series: the environment the engine's
 * collective library needs (NCCL on NVIDIA; RCCL on AMD, which reads the same NCCL_* variables) and
 * the extra container options. Single-node plans need none of it (NVLink / Infinity Fabric inside
 * the VM).
 *
 * Sources (docs/azure-facts.md §2):
 * - ND v5 VMs: one 400 Gb/s InfiniBand NDR link per GPU, ConnectX-7 HCAs named mlx5_ib0…mlx5_ib7;
 *   Azure's NCCL examples for ND H100/H200 v5 set NCCL_IB_HCA to the mlx5 devices,
 *   NCCL_SOCKET_IFNAME=eth0 (the Ethernet NIC for the TCP bootstrap) and
 *   NCCL_TOPO_FILE=/opt/microsoft/ndv5-topo.xml (the topology file the Ubuntu-HPC image installs,
 *   confirmed in azhpc-images components/customizations/ndv5.sh). ND GB200 v6 gets none (ndv6.sh sets none).
 * - RCCL honours the NCCL_* environment variables (ROCm RCCL documentation, unconfirmed here).
 * - GLOO_SOCKET_IFNAME: torch.distributed's Gloo bootstrap (vLLM multi-node docs; docs/reference-keys.md, engines §3).
 * The container already gets /dev/infiniband, host networking and an unlimited memlock from the plan
 * (lib/serving/container.ts).
 */
import type { Plan } from '../../plan/types';

/** NCCL topology file of ND H100/H200 v5 on the Ubuntu-HPC image. */
export const NDV5_TOPOLOGY_FILE = '/opt/microsoft/ndv5-topo.xml';

/** The fabric of one plan on Azure. */
export interface AzureFabric {
  readonly kind: 'none' | 'infiniband';
  /** Engine environment for the collectives (empty for one node). */
  readonly env: Readonly<Record<string, string>>;
  /** Extra `docker run` options (the topology file's directory, read-only). */
  readonly dockerOptions: readonly string[];
  readonly reason: string;
}

/** InfiniBand settings for a multi-node plan; nothing for one node. */
export function azureFabric(plan: Plan): AzureFabric {
  if (plan.topology.nodes === 1) return { kind: 'none', env: {}, dockerOptions: [], reason: 'one node: tensor parallelism stays on the VM\'s GPU interconnect' };
  const env: Record<string, string> = { NCCL_IB_HCA: 'mlx5', NCCL_SOCKET_IFNAME: 'eth0', GLOO_SOCKET_IFNAME: 'eth0' };
  const dockerOptions: string[] = [];
  // The file describes the ND v5 (H100/H200) PCIe layout only; other sizes keep NCCL's own detection.
  if (plan.topology.gpuVendor === 'nvidia' && /^Standard_ND96isr_H\d+_v5$/.test(plan.topology.instanceType)) {
    env.NCCL_TOPO_FILE = NDV5_TOPOLOGY_FILE;
    dockerOptions.push('-v', '/opt/microsoft:/opt/microsoft:ro');
  }
  const lib = plan.topology.gpuVendor === 'amd' ? 'RCCL' : 'NCCL';
  return { kind: 'infiniband', env, dockerOptions, reason: `${plan.topology.nodes} nodes: ${lib} over the ND series' InfiniBand (mlx5 HCAs), TCP bootstrap on eth0` };
}
