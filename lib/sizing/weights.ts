import type { ModelArchitecture, Precision } from '../types';
import { allTensors } from './params';
import { engramTensors, groupParams, layerTensors, modelEdgeTensors, mtpTensors, type TensorGroup } from './tensors';
import { memoPerArchitecture } from './memo';

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
 * - fp4, model released with FP4 experts (DeepSeek-V4/V4.1, `expert_dtype: "fp4"`): as released —
 *   routed experts MXFP4 (2 values per byte + one ue8m0 byte per 32 values), other linear weights
 *   FP8 e4m3 with one ue8m0 byte per weight block (128×128 for V4, 32×32 for V4.1), Engram tables FP8
 *   with one ue8m0 byte per 32 values (docs/deepseek-2026-models.md §2, vLLM V4.1 recipe breakdown).
 * - fp4, any other model: an NVFP4 checkpoint of it, every linear weight 4-bit with one FP8 e4m3
 *   scale per 16 values (NVIDIA Model Optimizer NVFP4, as in nvidia/DeepSeek-V3.1-NVFP4).
 */
export const BYTES_PER_PARAM: Readonly<Record<Precision, number>> = { bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5, fp4: 0.5 };

const BLOCK = 128;
const FP8_BLOCK_SCALE_BYTES = 4;
const INT8_CHANNEL_SCALE_BYTES = 2;
const INT4_GROUP = 128;
const INT4_GROUP_BYTES = 2 + 0.5;
const UNQUANTIZED_BYTES = 2;
const MXFP4_GROUP = 32;
const NVFP4_GROUP = 16;
const E8M0_SCALE_BYTES = 1;
const ENGRAM_SCALE_GROUP = 32;

/** FP8 e4m3 with one ue8m0 byte per `block`×`block` tile (V4's non-expert weights as released). */
function fp8Ue8m0Bytes(g: TensorGroup, block: number): number {
  return groupParams(g) + Math.ceil(g.rows / block) * Math.ceil(g.cols / block) * E8M0_SCALE_BYTES * g.count;
}

/** Bytes of a group in a release with MXFP4 routed experts (DeepSeek-V4/V4.1 `expert_dtype: "fp4"`). */
function releasedFp4Bytes(g: TensorGroup, arch: ModelArchitecture): number {
  const params = groupParams(g);
  if (g.role === 'routed-expert') return params / 2 + (params / MXFP4_GROUP) * E8M0_SCALE_BYTES;
  if (g.role === 'engram') return params + (params / ENGRAM_SCALE_GROUP) * E8M0_SCALE_BYTES;
  if (!g.quantizable) return params * UNQUANTIZED_BYTES;
  return fp8Ue8m0Bytes(g, arch.releasedQuantization!.weightBlockSize[0]);
}

/** Whether `arch` is released with FP4 routed experts, so `fp4` means "as released". */
export function releasedWithFp4Experts(arch: ModelArchitecture): boolean {
  return arch.releasedQuantization?.routedExpertFormat === 'mxfp4';
}

/**
 * Bytes of one tensor group at `precision`. `arch` matters only for `fp4`: a model released with FP4
 * experts is sized as released, any other as an NVFP4 checkpoint.
 */
export function tensorBytes(g: TensorGroup, precision: Precision, arch?: ModelArchitecture): number {
  const params = groupParams(g);
  if (precision === 'fp4' && arch && releasedWithFp4Experts(arch)) return releasedFp4Bytes(g, arch);
  if (!g.quantizable) return params * UNQUANTIZED_BYTES;
  const base = params * BYTES_PER_PARAM[precision];
  switch (precision) {
    case 'fp4':
      return base + (params / NVFP4_GROUP) * E8M0_SCALE_BYTES;
    case 'bf16':
    case 'fp16':
      return base;
    case 'fp8':
      return base + Math.ceil(g.rows / BLOCK) * Math.ceil(g.cols / BLOCK) * FP8_BLOCK_SCALE_BYTES * g.count;
    case 'int8':
      return base + g.rows * INT8_CHANNEL_SCALE_BYTES * g.count;
    case 'int4':
      return base + g.rows * Math.ceil(g.cols / INT4_GROUP) * INT4_GROUP_BYTES * g.count;
  }
}

function bytesOf(groups: readonly TensorGroup[], precision: Precision, arch: ModelArchitecture): number {
  return groups.reduce((n, g) => n + tensorBytes(g, precision, arch), 0);
}

/**
 * GPU-resident weight bytes of the whole main model (MTP not loaded) at `precision`, Engram tables
 * included: no upstream engine keeps them in host memory yet (docs/deepseek-2026-models.md §2).
 */
export const weightBytes: (arch: ModelArchitecture, precision: Precision) => number = memoPerArchitecture(
  (arch: ModelArchitecture, precision: Precision) => Math.round(bytesOf(allTensors(arch), precision, arch) + engramBytes(arch, precision)),
);

/** Bytes of the Engram memory tables at `precision` (0 without Engram). */
export function engramBytes(arch: ModelArchitecture, precision: Precision): number {
  return Math.round(bytesOf(engramTensors(arch), precision, arch));
}

/**
 * Bytes of the checkpoint as released, which storage must hold. A DeepSeek FP8 release stores the
 * main model and its MTP module in FP8 with block scales and BF16 embedding/head copies for MTP
 * (V3/R1: ~688.6 GB computed, facts §2); other releases store every parameter in `nativeDtype`.
 */
export function checkpointBytes(arch: ModelArchitecture): number {
  const mtp = arch.mtpLayers > 0 ? mtpTensors(arch) : { unique: [], sharedCopies: [] };
  if (arch.releasedQuantization?.method === 'fp8') {
    // FP4-expert releases (V4/V4.1) are sized in their released mixed format, draft layers and Engram included.
    const p: Precision = releasedWithFp4Experts(arch) ? 'fp4' : 'fp8';
    const main = bytesOf(allTensors(arch), p, arch) + engramBytes(arch, p);
    const extra = arch.mtpLayers * (bytesOf(mtp.unique, p, arch) + bytesOf(mtp.sharedCopies, p, arch));
    return Math.round(main + extra);
  }
  const width = arch.nativeDtype === 'fp32' ? 4 : 2;
  const paramsOf = (groups: readonly TensorGroup[]) => groups.reduce((n, g) => n + groupParams(g), 0);
  const params = paramsOf(allTensors(arch)) + paramsOf(engramTensors(arch)) + arch.mtpLayers * (paramsOf(mtp.unique) + paramsOf(mtp.sharedCopies));
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

function shardBytes(groups: readonly TensorGroup[], precision: Precision, arch: ModelArchitecture): ShardBytes {
  let split = 0;
  let replicated = 0;
  for (const g of groups) {
    if (g.sharding === 'split') split += tensorBytes(g, precision, arch);
    else replicated += tensorBytes(g, precision, arch);
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
  if (!hit) byKey.set(key, (hit = shardBytes([...layerTensors(arch, layer), ...engramOfLayer(arch, layer)], precision, arch)));
  return hit;
}

/** The Engram table that sits with decoder layer `layer` (GPU-resident: it is loaded with its layer). */
function engramOfLayer(arch: ModelArchitecture, layer: number): TensorGroup[] {
  return engramTensors(arch).filter((t) => t.name === `layers.${layer}.engram.table`);
}

/** Weight bytes on one GPU of each pipeline stage under tensor parallelism `tp` (Engram tables with their layers). */
export const weightBytesPerStage: (arch: ModelArchitecture, precision: Precision, tp: number, pp: number) => readonly number[] = memoPerArchitecture(weightBytesPerStageOnce);

function weightBytesPerStageOnce(arch: ModelArchitecture, precision: Precision, tp: number, pp: number): number[] {
  const split = pipelineStageLayers(arch.numLayers, pp);
  const edges = modelEdgeTensors(arch, pp > 1);
  const perStage: number[] = [];
  let layer = 0;
  for (let stage = 0; stage < pp; stage++) {
    const parts: ShardBytes[] = [];
    if (stage === 0) parts.push(shardBytes(edges.first, precision, arch));
    for (let i = 0; i < split[stage]; i++, layer++) parts.push(layerShardBytes(arch, layer, precision));
    if (stage === pp - 1) parts.push(shardBytes(edges.last, precision, arch));
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
