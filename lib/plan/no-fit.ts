import { gpuOf } from '../catalog/gpus';
import { visibleBytesOf } from '../catalog/gpu-visible-memory';
import { INSTANCES } from '../catalog/instances';
import { weightBytes } from '../sizing/weights';
import type { Issue, Precision } from '../types';
import { compareCandidates, enumerateCandidates, layoutLabel, type Candidate } from './candidates';
import { precisionSupport } from './precision-support';
import type { PlanRequest } from './request';

const GB = 1e9;

/**
 * Why nothing fits, and what would: the largest option that was offered and its reason, then the
 * nearest relaxations that do fit (more nodes, a smaller precision, GPUs the filter excluded).
 */
export function explainNoFit(req: PlanRequest, candidates: readonly Candidate[]): Issue {
  const { arch } = req;
  const need = weightBytes(arch, req.precision);
  const parts = [`${arch.id} at ${req.precision} needs ${(need / GB).toFixed(0)} GB of weights plus KV cache and runtime memory, and no option under the given limits fits`];
  if (candidates.length === 0) {
    parts.push('no instance matched the target, GPU filter and pins');
  } else {
    const largest = [...candidates].sort((a, b) => capacity(b) - capacity(a))[0];
    parts.push(`largest option offered: ${largest.topology.nodes} × ${largest.instance.instanceType} (${largest.instance.gpuCount * largest.topology.nodes} × ${largest.instance.gpu}, ${(capacity(largest) / GB).toFixed(0)} GB): ${largest.rejections.join('; ')}`);
    const smallest = [...candidates].sort((a, b) => capacity(a) - capacity(b))[0];
    if (smallest.rejections.join() !== largest.rejections.join()) {
      parts.push(`smallest: ${smallest.topology.nodes} × ${smallest.instance.instanceType}: ${smallest.rejections.join('; ')}`);
    }
  }
  const fixes = relaxations(req);
  parts.push(fixes.length > 0 ? `would fit: ${fixes.join('; or ')}` : `nothing in the ${req.target === 'local' ? 'local inventory' : `${req.target} catalog`} fits even with 16 nodes or another precision; try another target or --tensor-parallel-size`);
  // When no offered GPU can run the precision at all, the precision is the field to fix.
  const gpus = req.instances.map((i) => gpuOf(i));
  const precisionBlocked = gpus.length > 0 && gpus.every((g) => !precisionSupport(g, req.precision, req.engine, arch).supported);
  return { path: precisionBlocked ? 'precision' : 'model', message: parts.join('. ') };
}

function capacity(c: Candidate): number {
  return c.instance.gpuCount * c.topology.nodes * visibleBytesOf(c.instance);
}

function bestOf(req: PlanRequest): Candidate | undefined {
  return enumerateCandidates(req).filter((c) => c.rejections.length === 0).sort(compareCandidates)[0];
}

function label(c: Candidate): string {
  const price = c.hourlyUsd === undefined ? '' : ` at $${c.hourlyUsd.toFixed(2)}/h`;
  return `${c.topology.nodes} × ${c.instance.instanceType}${price}`;
}

function relaxations(req: PlanRequest): string[] {
  const out: string[] = [];
  if (req.pinnedNodes === undefined && req.maxNodes < 16 && req.target !== 'local') {
    const c = bestOf({ ...req, maxNodes: 16 });
    if (c) out.push(`maxNodes ${c.topology.nodes} (${label(c)})`);
  }
  // Smaller precisions first; larger ones too, since a layout rule (not size) may be what blocks.
  const precisions = (['int4', 'fp8', 'int8', 'bf16'] as Precision[]).filter((p) => p !== req.precision).sort((a, b) => weightBytes(req.arch, a) - weightBytes(req.arch, b));
  for (const p of precisions) {
    const c = bestOf({ ...req, precision: p });
    if (c) {
      out.push(`precision ${p} (${label(c)})`);
      break;
    }
  }
  if (req.kvCacheDtype !== 'fp8') {
    const c = bestOf({ ...req, kvCacheDtype: 'fp8' });
    if (c) out.push(`--kv-cache-dtype fp8 (${label(c)})`);
  }
  for (let ctx = Math.floor(req.contextTokens / 2); ctx >= 2048; ctx = Math.floor(ctx / 2)) {
    const c = bestOf({ ...req, contextTokens: ctx });
    if (c) {
      out.push(`context ${ctx} (${label(c)})`);
      break;
    }
  }
  if (req.gpuFilter && req.target !== 'local') {
    const all = INSTANCES.filter((i) => i.target === req.target && (!req.pinnedInstanceType || i.instanceType === req.pinnedInstanceType));
    const c = bestOf({ ...req, instances: all });
    if (c) out.push(`without the GPU filter (${label(c)}, ${c.instance.gpu})`);
  }
  const pinned = req.pinnedInstanceType || req.pinnedNodes || req.pinnedTensorParallelSize || req.pinnedPipelineParallelSize || req.pinnedDataParallelSize || req.pinnedExpertParallel !== undefined;
  if (pinned && req.target !== 'local') {
    const all = INSTANCES.filter((i) => i.target === req.target && (!req.gpuFilter || req.gpuFilter.some((g) => g === i.gpu)));
    const c = bestOf({ ...req, instances: all, pinnedInstanceType: undefined, pinnedNodes: undefined, pinnedTensorParallelSize: undefined, pinnedPipelineParallelSize: undefined, pinnedDataParallelSize: undefined, pinnedExpertParallel: undefined });
    if (c) out.push(`without the pinned instance type/nodes/parallelism (${label(c)}, ${layoutLabel(c)})`);
  }
  if (req.concurrency > 1) {
    const c = bestOf({ ...req, concurrency: 1 });
    if (c) out.push(`concurrency ${Math.max(1, Math.min(req.concurrency - 1, c.maxConcurrency))} (${label(c)})`);
  }
  return out;
}
