/**
 * The conformance table: one list of deployments run through the CDK, cdktf and Pulumi adapters.
 * Each row carries the planning fields every adapter gets, the placement choices that change the
 * resources (model source, weights storage), and the node / GPU counts worked out by hand from
 * published sizes, so the table also pins the core plan to independent arithmetic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeploymentSpec } from '../../lib/input/types';
import type { CapacityOptions, ScheduleOptions, WeightsStorageChoice } from '../../lib/deploy';

/** One deployment of the table. */
export interface Scenario {
  readonly id: string;
  /** Planning fields (target aws is implied). */
  readonly spec: Omit<DeploymentSpec, 'target' | 'localHosts'>;
  readonly modelSource?: string;
  readonly weightsStorage?: WeightsStorageChoice;
  /** Day-2 cost and capacity choices (issue 6), given to every adapter under the same prop names. */
  readonly capacity?: CapacityOptions;
  readonly schedule?: ScheduleOptions;
  readonly costAllocationTags?: Readonly<Record<string, string>>;
  /** CloudWatch agent, metric filters, alarms and dashboard in every adapter. @default false */
  readonly monitoring?: boolean;
  /** The S3 model store in every adapter (Hugging Face sources only). @default false */
  readonly modelStore?: boolean;
  /** A TLS listener with this ACM certificate in every adapter. @default plain TCP */
  readonly certificateArn?: string;
  /** Nodes and GPUs per node, from the arithmetic in `why`. */
  readonly expectNodes: number;
  readonly expectGpusPerNode: number;
  readonly why: string;
}

/** The one allowed client range every adapter gets (a private range: no public-ingress opt-in needed). */
export const ALLOWED_CIDR = '10.0.0.0/16';
/** Subnets every adapter places the cluster in (the CDK construct's default VPC has two private subnets, one per AZ). */
export const SUBNET_COUNT = 2;

const BYO_CONFIG = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'hf-configs', 'deepseek-v2-lite.json'), 'utf8')) as Record<string, unknown>;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'smallest-single-gpu',
    spec: { model: 'deepseek-r1-distill-qwen-1.5b' },
    expectNodes: 1,
    expectGpusPerNode: 1,
    // 1.78 B parameters (HF model card of deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B) × 2 bytes BF16 ≈ 3.6 GB:
    // a fraction of the smallest AWS GPU (T4 16 GB, L4 24 GB), so one GPU on one node.
    why: '3.6 GB of BF16 weights fit any single AWS GPU',
  },
  {
    id: '70b-on-4-gpus',
    spec: { model: 'deepseek-r1-distill-llama-70b', gpus: ['l40s'] },
    expectNodes: 1,
    expectGpusPerNode: 4,
    // 70.6 B parameters (Llama-3.3-70B base, HF card) × 2 bytes = 141 GB. L40S has 48 GB (NVIDIA L40S
    // datasheet): 2 GPUs = 96 GB < 141 GB; AWS has no 3-GPU L40S type and TP must divide the 64
    // attention heads, so 4 GPUs (192 GB) on one g6e node.
    why: '141 GB BF16 > 2 × 48 GB L40S, ≤ 4 × 48 GB',
  },
  {
    id: 'r1-fp8-one-8-gpu-node',
    spec: { model: 'deepseek-r1', precision: 'fp8', gpus: ['h200'] },
    expectNodes: 1,
    expectGpusPerNode: 8,
    // 671 B parameters (DeepSeek-V3 technical report, arXiv:2412.19437) × 1 byte FP8 ≈ 671 GB
    // (+ the MTP layer). 8 × 141 GB H200 (NVIDIA H200 datasheet) = 1128 GB: fits one 8-GPU node;
    // 4 GPUs (564 GB) would not.
    why: '~688 GB FP8 checkpoint fits 8 × 141 GB, not 4 × 141 GB',
  },
  {
    id: 'v3-bf16-multi-node',
    spec: { model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] },
    expectNodes: 2,
    expectGpusPerNode: 8,
    // 671 B × 2 bytes BF16 ≈ 1342 GB > 1128 GB of one 8 × H200 node, ≤ 2256 GB of two: two nodes
    // over EFA, with a cluster placement group.
    why: '1342 GB BF16 > one 8 × 141 GB node, fits two',
  },
  {
    id: 'byo-hf-config-s3-ebs',
    spec: { hfConfig: BYO_CONFIG, hfModelId: 'deepseek-ai/DeepSeek-V2-Lite' },
    modelSource: 's3://example-models/deepseek-v2-lite',
    weightsStorage: 'ebs',
    expectNodes: 1,
    expectGpusPerNode: 1,
    // 15.7 B parameters (DeepSeek-V2-Lite HF card) × 2 bytes = 31.4 GB: one 48 GB GPU (L40S) holds
    // it with KV room; weights from S3 onto an EBS data volume of max(500 GiB, 1.15 × 31.4 GB) = 500 GiB.
    why: '31.4 GB BF16 fits one 48 GB GPU; S3 source and EBS exercise the data volume and S3 IAM',
  },
  {
    id: 'day2-fallbacks-schedule-tags',
    spec: { model: 'deepseek-r1-distill-qwen-1.5b' },
    capacity: { fallbackInstanceTypes: 2 },
    schedule: { stopCron: '0 20 * * 1-5', startCron: '0 7 * * 1-5', timeZone: 'America/New_York' },
    costAllocationTags: { 'cost-center': 'ml-42', project: 'reasoning' },
    expectNodes: 1,
    expectGpusPerNode: 1,
    // As the first row (3.6 GB on one GPU); adds two fallback types (a prioritized mixed-instances
    // policy), a weekday scale-to-zero schedule and cost-allocation tags.
    why: '3.6 GB BF16 on one GPU, with fallback types, a schedule and cost tags',
  },
  {
    id: 'day2-tls',
    spec: { model: 'deepseek-r1-distill-qwen-1.5b' },
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-123456789abc',
    expectNodes: 1,
    expectGpusPerNode: 1,
    why: '3.6 GB BF16 on one GPU, behind a TLS listener (target group stays TCP)',
  },
  {
    id: 'day2-spot',
    spec: { model: 'deepseek-r1-distill-qwen-1.5b' },
    capacity: { spot: true },
    expectNodes: 1,
    expectGpusPerNode: 1,
    why: '3.6 GB BF16 on one GPU, on Spot (capacity-optimized-prioritized, capacity rebalancing)',
  },
  {
    id: 'day2-monitoring',
    spec: { model: 'deepseek-r1-distill-llama-70b', gpus: ['l40s'] },
    monitoring: true,
    expectNodes: 1,
    expectGpusPerNode: 4,
    // As the 70B row (141 GB BF16 on 4 × 48 GB L40S); adds the CloudWatch agent, metric filters and alarms.
    why: '141 GB BF16 on 4 × 48 GB L40S, with GPU metrics, log metric filters and alarms',
  },
  {
    id: 'day2-model-store',
    spec: { model: 'deepseek-r1-distill-qwen-1.5b' },
    modelStore: true,
    expectNodes: 1,
    expectGpusPerNode: 1,
    // As the first row (3.6 GB on one GPU); the checkpoint is cached in the S3 model store.
    why: '3.6 GB BF16 on one GPU, cached in the S3 model store after the first download',
  },
  {
    id: 'day2-model-store-multi-node',
    spec: { model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] },
    modelStore: true,
    expectNodes: 2,
    expectGpusPerNode: 8,
    // As the V3 BF16 row (two 8 × H200 nodes), with the model store: only rank 0 fills it, so the
    // worker takes a role without s3:PutObject on it (issue 13 §5).
    why: '1342 GB BF16 on two 8 × 141 GB nodes, cached in the S3 model store by rank 0 only',
  },
  {
    id: 'day2-capacity-block-multi-node',
    spec: { model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] },
    capacity: { capacityBlockId: 'cr-0fedcba9876543210' },
    schedule: { stopCron: '0 22 * * *', startCron: '0 6 * * *' },
    expectNodes: 2,
    expectGpusPerNode: 8,
    // As the V3 BF16 row (two 8 × H200 nodes); every rank's launch template targets the Capacity Block.
    why: '1342 GB BF16 on two 8 × 141 GB nodes, launched into a Capacity Block, with a nightly schedule',
  },
];
