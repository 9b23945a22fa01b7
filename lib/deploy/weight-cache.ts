/**
 * The weight cache and how long loading takes.
 *
 * Model store: an S3 bucket (created by the adapter unless the weights already come from `s3://`)
 * holds a copy of the Hugging Face checkpoint under `deepseek-iac/models/<org>/<name>/<revision>/`.
 * The first node that downloads the checkpoint from Hugging Face syncs it to that prefix after its
 * engine has started and writes the completion marker last; every later boot finds the marker and
 * syncs from S3 instead of Hugging Face. On the node, the weights land on instance-store NVMe (RAID0)
 * or the EBS data volume as before (user-data.ts).
 *
 * Load-time estimate: boot + download + load from local disk + engine warm-up, per path. The
 * throughputs are design assumptions, stated with their basis; they set the Auto Scaling grace
 * period, which must cover the *slowest* path a boot can take: with an empty store that is the
 * Hugging Face download, so a store shortens replacements but not the grace period (pointing
 * `modelSource` at the store's `s3://` URI once it is filled shortens both).
 */
import type { Plan } from '../plan/types';
import type { HuggingFaceModelSource, ModelSource } from './model-source';
import type { WeightsStorage } from './user-data';
import {
  ASSUMED_DOWNLOAD_BYTES_PER_SECOND, ASSUMED_LOAD_BYTES_PER_SECOND, BOOT_SECONDS, ENGINE_WARMUP_SECONDS,
  healthCheckGraceSeconds,
} from './health';

/** Key prefix under which a model store keeps checkpoints. */
export const MODEL_STORE_ROOT = 'deepseek-iac/models';

/**
 * Assumed `aws s3 sync` throughput from S3 in the same region with the node's CLI settings (32
 * concurrent requests of 64 MB parts): 500 MB/s. A design assumption, not a measurement; S3 itself
 * allows far more per instance with enough parallel connections ("up to 100 Gb/s" per instance,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html, confirmed), so
 * the estimate errs slow.
 */
export const ASSUMED_S3_BYTES_PER_SECOND = 500e6;

/**
 * Lifecycle of the buckets an adapter creates: a re-uploaded checkpoint leaves the old objects as
 * noncurrent versions (kept a week), abandoned multipart uploads of a node that died mid-upload go
 * after two days; access logs are kept a year (their noncurrent versions 30 days).
 */
export const BUCKET_LIFECYCLE = {
  modelStore: { noncurrentVersionExpirationDays: 7, abortIncompleteMultipartUploadDays: 2 },
  accessLogs: { expirationDays: 365, noncurrentVersionExpirationDays: 30 },
} as const;

/** Key prefixes in the access-log bucket. */
export const ACCESS_LOG_PREFIXES = { modelStore: 'model-store/', loadBalancer: 'load-balancer' } as const;

/** A model store as the adapter created (or was given) it. Values may be adapter tokens. */
export interface ModelStoreRef {
  readonly bucketName: string;
  /** ARN of the bucket (`arn:<partition>:s3:::<name>`). */
  readonly bucketArn: string;
  /** KMS key of the bucket's default encryption, when it is SSE-KMS: nodes need kms:Decrypt / GenerateDataKey. */
  readonly kmsKeyArn?: string;
}

/** Where in the store a Hugging Face checkpoint is cached. */
export interface ModelStoreSpec extends ModelStoreRef {
  /** Key prefix without slashes at either end. */
  readonly prefix: string;
}

/** The store prefix of a Hugging Face repository at a revision (`default` = the default branch at first download). */
export function modelStorePrefix(source: HuggingFaceModelSource): string {
  return `${MODEL_STORE_ROOT}/${source.repoId}/${source.revision ?? 'default'}`;
}

/** One way the weights reach the GPUs. */
export interface LoadPath {
  readonly source: 'huggingface' | 's3' | 'model-store' | 'fsx-lustre';
  /** Download throughput after the destination disk's limit, bytes per second. */
  readonly downloadBytesPerSecond: number;
  readonly downloadSeconds: number;
  /** Local disk to GPU memory. */
  readonly loadSeconds: number;
  /** Launch to serving: boot + download + load + warm-up. */
  readonly readySeconds: number;
}

/** Expected load times of a deployment. */
export interface WeightLoadEstimate {
  readonly checkpointBytes: number;
  /** A boot that finds no copy in the store (or has no store). */
  readonly firstBoot: LoadPath;
  /** Boots after the store holds the checkpoint; absent when there is no store. */
  readonly laterBoots?: LoadPath;
  /**
   * Boots that read the checkpoint from FSx for Lustre (no copy: download 0 s, load at the node's
   * share of the file system's throughput); present with `fsxThroughputBytesPerSecond`.
   */
  readonly fsxBoots?: LoadPath;
  /** Health-check grace period: the first boot's time, rounded up to whole minutes. */
  readonly graceSeconds: number;
  /** How the numbers are made. */
  readonly basis: string;
}

function path(source: LoadPath['source'], networkBytesPerSecond: number, bytes: number, diskWriteBytesPerSecond: number): LoadPath {
  const rate = Math.min(networkBytesPerSecond, diskWriteBytesPerSecond);
  const downloadSeconds = bytes / rate;
  const loadSeconds = bytes / ASSUMED_LOAD_BYTES_PER_SECOND;
  return { source, downloadBytesPerSecond: rate, downloadSeconds, loadSeconds, readySeconds: BOOT_SECONDS + downloadSeconds + loadSeconds + ENGINE_WARMUP_SECONDS };
}

/** Inputs of {@link weightLoadEstimate} besides the plan. */
export interface WeightLoadInput {
  readonly source: ModelSource;
  readonly storage: WeightsStorage;
  /** A model store caches a Hugging Face checkpoint. */
  readonly withModelStore: boolean;
  /** Provisioned throughput of the EBS data volume, MiB/s (caps downloads to it); instance-store NVMe is not the bottleneck. */
  readonly dataVolumeThroughputMiBps: number;
  /** Aggregate throughput of an FSx for Lustre file system holding the checkpoint, bytes per second. */
  readonly fsxThroughputBytesPerSecond?: number;
}

/**
 * Reading from Lustre: every node is assumed to read the whole checkpoint at once (the engines open
 * every safetensors file on each rank), so a node gets 1/nodes of the file system's throughput, and
 * never more than the local-disk load assumption. Ignores the first read's lazy load from S3.
 */
function fsxPath(bytes: number, nodes: number, fsxBytesPerSecond: number): LoadPath {
  const rate = Math.min(fsxBytesPerSecond / nodes, ASSUMED_LOAD_BYTES_PER_SECOND);
  const loadSeconds = bytes / rate;
  return { source: 'fsx-lustre', downloadBytesPerSecond: rate, downloadSeconds: 0, loadSeconds, readySeconds: BOOT_SECONDS + loadSeconds + ENGINE_WARMUP_SECONDS };
}

/** Expected load times for a plan, its model source and, for Hugging Face sources, an optional model store. */
export function weightLoadEstimate(plan: Plan, input: WeightLoadInput): WeightLoadEstimate {
  const bytes = plan.storage.checkpointBytes;
  const disk = input.storage.kind === 'ebs' ? input.dataVolumeThroughputMiBps * 2 ** 20 : Number.POSITIVE_INFINITY;
  const first = input.source.kind === 's3'
    ? path('s3', ASSUMED_S3_BYTES_PER_SECOND, bytes, disk)
    : path('huggingface', ASSUMED_DOWNLOAD_BYTES_PER_SECOND, bytes, disk);
  const later = input.source.kind === 'huggingface' && input.withModelStore ? path('model-store', ASSUMED_S3_BYTES_PER_SECOND, bytes, disk) : undefined;
  const fsx = input.fsxThroughputBytesPerSecond !== undefined ? fsxPath(bytes, plan.topology.nodes, input.fsxThroughputBytesPerSecond) : undefined;
  const grace = healthCheckGraceSeconds(bytes, first.downloadBytesPerSecond);
  return {
    checkpointBytes: bytes,
    firstBoot: first,
    ...(later ? { laterBoots: later } : {}),
    ...(fsx ? { fsxBoots: fsx } : {}),
    // The grace period covers the slowest path a boot can take.
    graceSeconds: fsx ? Math.max(grace, Math.ceil(fsx.readySeconds / 60) * 60) : grace,
    basis: `boot ${BOOT_SECONDS} s + download (Hugging Face ${ASSUMED_DOWNLOAD_BYTES_PER_SECOND / 1e6} MB/s, S3 ${ASSUMED_S3_BYTES_PER_SECOND / 1e6} MB/s, capped by the disk) + load ${ASSUMED_LOAD_BYTES_PER_SECOND / 1e6} MB/s + warm-up ${ENGINE_WARMUP_SECONDS} s; assumptions, not measurements`,
  };
}
