/**
 * Names and tags every AWS adapter gives its resources. Tags are also how nodes of a multi-node
 * cluster find each other at boot (`aws ec2 describe-instances` filtered on the cluster and rank
 * tags), so their keys are part of the contract between the infrastructure and the user data.
 */
import { PlanError } from '../errors';
import type { Plan } from '../plan/types';
import type { Issue } from '../types';

/** Tag key prefix of everything deepseek-iac creates. */
export const TAG_PREFIX = 'deepseek-iac';
/** Tag carrying the cluster name (on every resource; workers filter on it to find the head). */
export const CLUSTER_TAG = `${TAG_PREFIX}:cluster`;
/** Tag carrying a node's rank (0 = head / single node). */
export const RANK_TAG = `${TAG_PREFIX}:rank`;
/** Tag carrying the catalog model id. */
export const MODEL_TAG = `${TAG_PREFIX}:model`;

/** Longest cluster name: it must fit resource-name limits after a suffix (ASG/LT names allow 255, tags 256). */
export const MAX_CLUSTER_NAME_LENGTH = 64;
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * Check a cluster name: letters, digits and hyphens, starting with a letter or digit, at most 64
 * characters. It goes into tag values and describe-instances filters, where these characters need
 * no escaping.
 * @throws PlanError at `path`
 */
export function validateClusterName(name: string, path = 'clusterName'): string {
  if (!CLUSTER_NAME.test(name) || name.length > MAX_CLUSTER_NAME_LENGTH) {
    throw PlanError.single(path, `${JSON.stringify(name)} is not a valid cluster name: use letters, digits and hyphens (starting with a letter or digit), at most ${MAX_CLUSTER_NAME_LENGTH} characters`);
  }
  return name;
}

/** Tags for every resource of a cluster. */
export function clusterTags(plan: Plan, clusterName: string): Readonly<Record<string, string>> {
  return { [CLUSTER_TAG]: clusterName, [MODEL_TAG]: plan.model.id };
}

/** Tags for the instances of one rank (on top of the cluster tags). */
export function rankTags(rank: number): Readonly<Record<string, string>> {
  return { [RANK_TAG]: String(rank) };
}

/**
 * One line describing the plan, for synth logs: model, precision, topology, engine, storage, cost.
 * `weightsStorage` is where the weights land (default: the plan's preference).
 * e.g. `deepseek-v3 bf16: 2 × p5en.48xlarge (8 × h200, TP 8 PP 2, EFA ×16), vllm, weights 1369.0 GB on instance-store NVMe, $126.59/h`
 */
export function planSummary(plan: Plan, weightsStorage: 'ebs' | 'instance-store' = plan.storage.preferInstanceStore ? 'instance-store' : 'ebs'): string {
  const t = plan.topology;
  const fabric = t.nodes > 1 ? `, ${t.interconnect === 'efa' ? `EFA ×${t.efaInterfacesPerNode}` : t.interconnect}` : '';
  const storage = weightsStorage === 'instance-store' ? 'instance-store NVMe' : `${plan.storage.volumeGiB} GiB EBS gp3`;
  const cost = plan.cost.hourlyUsd === undefined ? 'unpriced' : `$${plan.cost.hourlyUsd.toFixed(2)}/h`;
  return `${plan.model.id} ${plan.precision.weights}: ${t.nodes} × ${t.instanceType} (${t.gpusPerNode} × ${t.gpu}, ${parallelLayout(t)}${fabric}), ${plan.engine}, weights ${(plan.storage.checkpointBytes / 1e9).toFixed(1)} GB on ${storage}, ${cost}`;
}

/** Tag keys AWS reserves (`aws:`) and the keys this project sets itself cannot be given by callers. */
const RESERVED_TAG_PREFIXES = ['aws:', `${TAG_PREFIX}:`];
/** Characters AWS tags allow across services: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_CHARS = /^[\p{L}\p{N}\s_.:/=+\-@]*$/u;

/**
 * Problems with caller-supplied cost-allocation tags: key 1–128 and value 0–256 characters of the
 * characters AWS tags allow, no reserved prefix (AWS tagging rules,
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html, confirmed).
 */
export function costTagIssues(tags: Readonly<Record<string, string>>, path = 'costAllocationTags'): Issue[] {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const at = `${path}.${key}`;
    if (key.length < 1 || key.length > 128 || !TAG_CHARS.test(key)) issues.push({ path: at, message: `tag key ${JSON.stringify(key)} must be 1–128 letters, digits, spaces or _ . : / = + - @` });
    if (RESERVED_TAG_PREFIXES.some((p) => key.toLowerCase().startsWith(p))) issues.push({ path: at, message: `tag key ${JSON.stringify(key)} uses a reserved prefix (${RESERVED_TAG_PREFIXES.join(', ')})` });
    if (typeof value !== 'string' || value.length > 256 || !TAG_CHARS.test(value)) issues.push({ path: at, message: `tag value ${JSON.stringify(value)} must be at most 256 letters, digits, spaces or _ . : / = + - @` });
  }
  return issues;
}

/** The engine's layout in a few words: `DP 8 + EP 8` under data-parallel attention, else `TP 8 PP 2`. */
export function parallelLayout(t: Pick<Plan['topology'], 'dataParallelSize' | 'expertParallelSize' | 'tensorParallelSize' | 'pipelineParallelSize'>): string {
  return t.dataParallelSize > 1 ? `DP ${t.dataParallelSize} + EP ${t.expertParallelSize}` : `TP ${t.tensorParallelSize} PP ${t.pipelineParallelSize}`;
}
