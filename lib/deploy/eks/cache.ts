/**
 * Where a pod on EKS reads the weights from, decided per plan:
 *
 * - `mountpoint-s3` when the weights are already in S3 (`modelSource: s3://…`): the prefix is
 *   mounted read-only through the Mountpoint for Amazon S3 CSI driver (static PersistentVolume,
 *   https://github.com/awslabs/mountpoint-s3-csi-driver/blob/v2.7.0/examples/kubernetes/static_provisioning/multiple_pods_one_pv.yaml).
 *   No copy step and no disk sized for the checkpoint; every pod of a multi-node group reads the
 *   same prefix. The engine reads the checkpoint once at start, which is the access pattern
 *   Mountpoint is built for (large sequential reads).
 * - `instance-store` when the plan's instance has local NVMe that holds the checkpoint with
 *   headroom (`storage.preferInstanceStore`): Karpenter assembles the NVMe disks as RAID0 for the
 *   kubelet (EC2NodeClass `instanceStorePolicy: RAID0`), the weights go into an emptyDir there,
 *   filled from Hugging Face by an init container at pod start. The fastest reads, no EBS cost; a
 *   replaced node downloads again.
 * - `node-volume` otherwise: the node's EBS root volume is enlarged by the plan's volume size
 *   (≥ 500 GiB, ≥ 1.15 × checkpoint) and the emptyDir lives there, filled the same way.
 *
 * FSx for Lustre is not chosen here: it needs a file system per deployment, the FSx CSI driver
 * and a data repository link, which the EC2 adapter offers (`fsxLustre`) for repeated multi-node
 * loads; on EKS, S3 through Mountpoint covers the shared-weights case without a file system.
 */
import type { Plan } from '../../plan/types';
import type { Issue } from '../../types';
import { DATA_VOLUME_IOPS, DATA_VOLUME_THROUGHPUT_MIBPS, ROOT_VOLUME_GIB } from '../blueprint';
import type { ModelSource, S3ModelSource } from '../model-source';

/** How the weights reach the pods. */
export type ModelCacheKind = 'mountpoint-s3' | 'instance-store' | 'node-volume';
/** The caller's choice: a kind, or `auto` (decided per plan as above). */
export type ModelCacheChoice = ModelCacheKind | 'auto';

/** The decided model cache. */
export interface ModelCacheSpec {
  readonly kind: ModelCacheKind;
  /** Why this kind, for the decisions list. */
  readonly reason: string;
  /** EBS root volume of each node, GiB: OS and images, plus the weights for `node-volume`. */
  readonly rootVolumeGiB: number;
  readonly rootVolumeIops: number;
  readonly rootVolumeThroughputMiBps: number;
  /** Karpenter assembles the instance store as RAID0 for the kubelet (instance-store only). */
  readonly instanceStoreRaid0: boolean;
  /** emptyDir size for the weights, GiB (download kinds only). */
  readonly emptyDirGiB?: number;
  /** The S3 prefix mounted read-only (mountpoint-s3 only). */
  readonly s3?: S3ModelSource;
}

/** Decide the cache; problems go into `issues` (the returned spec is then only a best effort, never used to build). */
export function modelCacheSpec(plan: Plan, source: ModelSource, choice: ModelCacheChoice, issues: Issue[], path = 'modelCache'): ModelCacheSpec {
  const s = plan.storage;
  const base = { rootVolumeIops: DATA_VOLUME_IOPS, rootVolumeThroughputMiBps: DATA_VOLUME_THROUGHPUT_MIBPS };
  const checkpointGB = (s.checkpointBytes / 1e9).toFixed(1);
  let kind: ModelCacheKind;
  let reason: string;
  if (choice === 'auto') {
    if (source.kind === 's3') {
      kind = 'mountpoint-s3';
      reason = `the weights are in S3 (${source.uri}): mounted read-only through Mountpoint, no copy and no disk for the ${checkpointGB} GB checkpoint`;
    } else if (s.preferInstanceStore) {
      kind = 'instance-store';
      reason = `${plan.topology.instanceType} has ${s.localNvmeGB} GB of local NVMe, enough for the ${checkpointGB} GB checkpoint: RAID0 instance store, downloaded at pod start`;
    } else {
      kind = 'node-volume';
      reason = `no S3 copy and no local NVMe large enough: the node's EBS root volume grows by ${s.volumeGiB} GiB for the ${checkpointGB} GB checkpoint, downloaded at pod start`;
    }
  } else {
    kind = choice;
    reason = `set by ${path}`;
    if (choice === 'mountpoint-s3' && source.kind !== 's3') {
      issues.push({ path, message: `"mountpoint-s3" needs the weights in S3; modelSource is ${source.uri}. Give modelSource: s3://bucket/prefix, or use "auto"` });
    }
    if (choice === 'instance-store' && !s.preferInstanceStore) {
      issues.push({
        path,
        message: `"instance-store" needs local NVMe that holds the ${checkpointGB} GB checkpoint with headroom; ${plan.topology.instanceType} has ${s.localNvmeGB} GB. Use "node-volume" or "auto"`,
      });
    }
  }
  if (kind !== 'mountpoint-s3' && plan.engine === 'llamacpp') {
    issues.push({ path, message: `the llama.cpp image has no Python for the Hugging Face download; give modelSource: s3://bucket/prefix (cache "mountpoint-s3")` });
  }
  switch (kind) {
    case 'mountpoint-s3':
      return { kind, reason, ...base, rootVolumeGiB: ROOT_VOLUME_GIB, instanceStoreRaid0: false, ...(source.kind === 's3' ? { s3: source } : {}) };
    case 'instance-store':
      return { kind, reason, ...base, rootVolumeGiB: ROOT_VOLUME_GIB, instanceStoreRaid0: true, emptyDirGiB: s.volumeGiB };
    case 'node-volume':
      return { kind, reason, ...base, rootVolumeGiB: ROOT_VOLUME_GIB + s.volumeGiB, instanceStoreRaid0: false, emptyDirGiB: s.volumeGiB };
  }
}
