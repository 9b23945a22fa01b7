import type { ModelArchitecture, Precision } from '../types';
import { allTensors } from './params';
import { groupParams, layerTensors, modelEdgeTensors, mtpTensors, type TensorGroup } from './tensors';

/**
 * Bytes of weights at each precision. Linear weight matrices take the precision's width plus its
 * scales; embeddings, LM head, norms, routers and biases stay 16-bit, as vLLM and SGLang keep them
 * (DeepSeek-V3's FP8 checkpoint stores them in BF16 too: README_WEIGHTS).
 *
 * Scale layouts (one per precision, the common checkpoint format):
 * - fp8: e4m3 with one float32 scale per 128×128 block (DeepSeek-V3 `weight_block_size: [128,128]`,
 *   `weight_scale_inv` F32). Online FP8 of a BF16 model uses per-tensor scales: ≤ 0.03% less.
 * - int8: one bf16 scale per output channel (compressed-tensors W8A8).
 * - int4: AWQ/GPTQ group size 128 along the input: an fp16 scale and a 4-bit zero point per group.
 */
export const BYTES_PER_PARAM: Readonly<Record<Precision, number>> = { bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5, fp4: 0.5 };

const BLOCK = 128;
const FP8_BLOCK_SCALE_BYTES = 4;
const INT8_CHANNEL_SCALE_BYTES = 2;
const INT4_GROUP = 128;
const INT4_GROUP_BYTES = 2 + 0.5;
const UNQUANTIZED_BYTES = 2;

/** Bytes of one tensor group at `precision`. */
export function tensorBytes(g: TensorGroup, precision: Precision): number {
  const params = groupParams(g);
  if (!g.quantizable) return params * UNQUANTIZED_BYTES;
  const base = params * BYTES_PER_PARAM[precision];
  switch (precision) {
    case 'bf16':
    case 'fp16':
      return base;
    case 'fp8':
      return base + Math.ceil(g.rows / BLOCK) * Math.ceil(g.cols / BLOCK) * FP8_BLOCK_SCALE_BYTES * g.count;
    case 'int8':
      return base + g.rows * INT8_CHANNEL_SCALE_BYTES * g.count;
    case 'int4':
      return base + g.rows * Math.ceil(g.cols / INT4_GROUP) * INT4_GROUP_BYTES * g.count;
    case 'fp4':
      // MXFP4 (OCP microscaling): one 1-byte E8M0 scale per 32 values along the input.
      return base + g.rows * Math.ceil(g.cols / 32) * g.count;
  }
}

function bytesOf(groups: readonly TensorGroup[], precision: Precision): number {
  return groups.reduce((n, g) => n + tensorBytes(g, precision), 0);
}

/** GPU-resident weight bytes of the whole main model (MTP not loaded) at `precision`. */
export function weightBytes(arch: ModelArchitecture, precision: Precision): number {
  return Math.round(bytesOf(allTensors(arch), precision));
}

/**
 * Bytes of the checkpoint as released, which storage must hold. A DeepSeek FP8 release stores the
 * main model and its MTP module in FP8 with block scales and BF16 embedding/head copies for MTP
 * (V3/R1: ~688.6 GB computed, facts §2); other releases store every parameter in `nativeDtype`.
 */
export function checkpointBytes(arch: ModelArchitecture): number {
  const mtp = arch.mtpLayers > 0 ? mtpTensors(arch) : { unique: [], sharedCopies: [] };
  if (arch.releasedQuantization?.method === 'fp8') {
    const main = bytesOf(allTensors(arch), 'fp8');
    const extra = arch.mtpLayers * (bytesOf(mtp.unique, 'fp8') + bytesOf(mtp.sharedCopies, 'fp8'));
    return Math.round(main + extra);
  }
  const width = arch.nativeDtype === 'fp32' ? 4 : 2;
  const paramsOf = (groups: readonly TensorGroup[]) => groups.reduce((n, g) => n + groupParams(g), 0);
  const params = paramsOf(allTensors(arch)) + arch.mtpLayers * (paramsOf(mtp.unique) + paramsOf(mtp.sharedCopies));
  return params * width;
}

/**
 * Layers per pipeline stage, as vLLM's `get_pp_indices` splits them: an even share each, and the
 * remainder given one layer apiece to the stages just before the last (vllm/distributed/utils.py).
 */
export function pipelineStageLayers(numLayers: number, pp: number): number[] {
  const base = Math.floor(numLayers / pp);
  const parts = new Array<number>(pp).fill(base);
  const remaining = numLayers % pp;
  for (let i = 2; i < remaining + 2; i++) parts[pp - i] += 1;
  return parts;
}

/** Split and replicated bytes of a set of tensors at one precision. */
interface ShardBytes {
  readonly split: number;
  readonly replicated: number;
}

function shardBytes(groups: readonly TensorGroup[], precision: Precision): ShardBytes {
  let split = 0;
  let replicated = 0;
  for (const g of groups) {
    if (g.sharding === 'split') split += tensorBytes(g, precision);
    else replicated += tensorBytes(g, precision);
  }
  return { split, replicated };
}

// The planner sizes hundreds of candidates per request; a layer's bytes depend only on the
// architecture, the layer index and the precision, so they are computed once.
const layerCache = new WeakMap<ModelArchitecture, Map<string, ShardBytes>>();

function layerShardBytes(arch: ModelArchitecture, layer: number, precision: Precision): ShardBytes {
  let byKey = layerCache.get(arch);
  if (!byKey) layerCache.set(arch, (byKey = new Map()));
  const key = `${layer}:${precision}`;
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = shardBytes(layerTensors(arch, layer), precision)));
  return hit;
}

/** Weight bytes on one GPU of each pipeline stage under tensor parallelism `tp`. */
export function weightBytesPerStage(arch: ModelArchitecture, precision: Precision, tp: number, pp: number): number[] {
  const split = pipelineStageLayers(arch.numLayers, pp);
  const edges = modelEdgeTensors(arch, pp > 1);
  const perStage: number[] = [];
  let layer = 0;
  for (let stage = 0; stage < pp; stage++) {
    const parts: ShardBytes[] = [];
    if (stage === 0) parts.push(shardBytes(edges.first, precision));
    for (let i = 0; i < split[stage]; i++, layer++) parts.push(layerShardBytes(arch, layer, precision));
    if (stage === pp - 1) parts.push(shardBytes(edges.last, precision));
    let bytes = 0;
    for (const p of parts) bytes += p.split / tp + p.replicated;
    perStage.push(Math.ceil(bytes));
  }
  return perStage;
}

/** Weight bytes on the most loaded GPU. */
export function weightBytesPerGpu(arch: ModelArchitecture, precision: Precision, tp: number, pp: number): number {
  return Math.max(...weightBytesPerStage(arch, precision, tp, pp));
}
