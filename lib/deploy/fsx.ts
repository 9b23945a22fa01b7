/**
 * Optional FSx for Lustre file system linked to the model store, for multi-node plans: every node
 * mounts the model store's checkpoint prefix (through a data repository association with automatic
 * import) and the engine reads the weights straight from Lustre instead of each node copying
 * hundreds of GB to its local disk first.
 *
 * Facts relied on:
 * - PERSISTENT_2 SSD storage capacity: 1200 GiB, 2400 GiB or a multiple of 2400 GiB (API reference
 *   `CreateFileSystem.StorageCapacity`, https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystem.html;
 *   the 2400 GiB step is also stated for `UpdateFileSystem.StorageCapacity`, confirmed).
 * - PERSISTENT_2 throughput per unit of storage: 125, 250, 500 or 1000 MB/s/TiB; the file system's
 *   throughput = capacity (TiB) × that value
 *   (https://docs.aws.amazon.com/fsx/latest/LustreGuide/managing-throughput-capacity.html, confirmed).
 * - Lustre traffic: TCP 988 and 1018–1023; creation fails unless the file system's security group
 *   allows them inbound (https://docs.aws.amazon.com/fsx/latest/LustreGuide/cannot-create-fs.html,
 *   confirmed). That the rules are needed between the file servers themselves (self-reference) and
 *   from/to the clients is from https://docs.aws.amazon.com/fsx/latest/LustreGuide/limit-access-security-groups.html
 *   (not re-read here: unconfirmed).
 * - Data repository associations need Lustre 2.12 or later on PERSISTENT_2; 2.15 is used
 *   (https://docs.aws.amazon.com/fsx/latest/LustreGuide/create-dra-linked-data-repo.html, third-party recollection, unconfirmed here).
 */
import type { Issue } from '../types';
import type { Plan } from '../plan/types';

/** Lustre LNET port and the range of its service ports. */
export const LUSTRE_PORTS = [{ fromPort: 988, toPort: 988 }, { fromPort: 1018, toPort: 1023 }] as const;

/**
 * Throughput tier, MB/s per TiB: the highest PERSISTENT_2 tier. A checkpoint fits in 1.2–2.4 TiB, so
 * the file system's throughput is small in absolute terms (1.2 TiB × 1000 = 1200 MB/s shared by all
 * nodes) and every lower tier would make Lustre slower than each node syncing from S3 on its own
 * (500 MB/s per node, weight-cache.ts); throughput is the reason to have the file system.
 */
export const FSX_THROUGHPUT_MBPS_PER_TIB = 1000;

/** Smallest PERSISTENT_2 capacity and the step above 2400 GiB. */
const FIRST_GIB = 1200;
const STEP_GIB = 2400;

/** Free space kept beyond the checkpoint (file-system metadata, a revision being imported next to the old one is not covered). */
const HEADROOM = 1.1;

/** The file-system path the data repository association links the model store to. */
export const FSX_MODEL_PATH = '/model';

/** The file system an adapter creates. */
export interface FsxLustreSpec {
  readonly deploymentType: 'PERSISTENT_2';
  readonly storageCapacityGiB: number;
  readonly perUnitStorageThroughputMBpsPerTiB: number;
  readonly fileSystemTypeVersion: '2.15';
  /** File-system path linked to the model store's checkpoint prefix. */
  readonly fileSystemPath: string;
  /** S3 events imported automatically into the file system. */
  readonly autoImportEvents: readonly ('NEW' | 'CHANGED' | 'DELETED')[];
  readonly ports: typeof LUSTRE_PORTS;
  /** Aggregate throughput, bytes per second (capacity × tier). */
  readonly throughputBytesPerSecond: number;
}

/** Mount details the nodes need (adapter tokens allowed). */
export interface FsxLustreMount {
  readonly dnsName: string;
  readonly mountName: string;
}

/** Smallest valid PERSISTENT_2 capacity holding the checkpoint with headroom, GiB. */
export function lustreCapacityGiB(checkpointBytes: number): number {
  const needGiB = (checkpointBytes * HEADROOM) / 2 ** 30;
  if (needGiB <= FIRST_GIB) return FIRST_GIB;
  return Math.ceil(needGiB / STEP_GIB) * STEP_GIB;
}

/** The file system for a plan. */
export function fsxLustreSpec(plan: Plan): FsxLustreSpec {
  const capacity = lustreCapacityGiB(plan.storage.checkpointBytes);
  return {
    deploymentType: 'PERSISTENT_2',
    storageCapacityGiB: capacity,
    perUnitStorageThroughputMBpsPerTiB: FSX_THROUGHPUT_MBPS_PER_TIB,
    fileSystemTypeVersion: '2.15',
    fileSystemPath: FSX_MODEL_PATH,
    autoImportEvents: ['NEW', 'CHANGED', 'DELETED'],
    ports: LUSTRE_PORTS,
    throughputBytesPerSecond: (capacity / 1024) * FSX_THROUGHPUT_MBPS_PER_TIB * 1e6,
  };
}

/**
 * Problems with asking for FSx: it serves multi-node plans (a single node reads as fast from its own
 * disk and the file system would cost more than it saves) and links to the model store, so it needs
 * one (a Hugging Face source with the store on).
 */
export function fsxLustreIssues(plan: Plan, opts: { readonly modelStore: boolean }): Issue[] {
  const issues: Issue[] = [];
  if (plan.topology.nodes < 2) {
    issues.push({ path: 'fsxLustre', message: `is for multi-node plans; this plan runs on 1 × ${plan.topology.instanceType}, which reads its weights from local disk. Remove fsxLustre` });
  }
  if (!opts.modelStore) {
    issues.push({ path: 'fsxLustre', message: 'links the file system to the model store; it needs a Hugging Face modelSource with modelStore not false' });
  }
  return issues;
}
