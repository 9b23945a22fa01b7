import type { ModelArchitecture } from '../types';
import { engramTensors, groupParams, layerTensors, modelEdgeTensors, mtpTensors, type TensorGroup } from './tensors';

/** Parameter counts derived from the architecture config. */
export interface ParamCounts {
  /** Every parameter of the main model (all experts), MTP excluded: what must sit in memory. */
  readonly total: number;
  /**
   * Parameters a token is multiplied through: routed experts count only top-k, and the input
   * embedding is a row lookup, not a matmul, so it is left out (unless tied to the LM head). This is
   * how DeepSeek publishes "activated" parameters: V3 36.6B ("37B"), V2 20.9B ("21B"), V2-Lite 2.45B ("2.4B").
   */
  readonly active: number;
  /** Embedding matrix (vocab × hidden). */
  readonly embedding: number;
  /** LM head (0 when tied). */
  readonly lmHead: number;
  /** Unique MTP parameters (V3/R1: one extra MoE layer, enorm/hnorm, eh_proj), excluding its embedding/head copies. */
  readonly mtpUnique: number;
  /** MTP embedding/head copies stored in the checkpoint. */
  readonly mtpSharedCopies: number;
  /**
   * V4.1 Engram memory-table parameters, reported apart from `total` (DeepSeek publishes "552B
   * backbone + 196.6B Engram"); 0 for models without Engram.
   */
  readonly memoryParams: number;
}

/** All tensors of the main model, layer by layer, plus embedding, final norm and head. */
export function allTensors(arch: ModelArchitecture): TensorGroup[] {
  let all = ALL_CACHE.get(arch);
  if (!all) {
    const edges = modelEdgeTensors(arch);
    all = [...edges.first];
    for (let layer = 0; layer < arch.numLayers; layer++) all.push(...layerTensors(arch, layer));
    all.push(...edges.last);
    ALL_CACHE.set(arch, all);
  }
  // A copy: the cached inventory (per immutable architecture object) stays as built.
  return [...all];
}

const ALL_CACHE = new WeakMap<ModelArchitecture, TensorGroup[]>();
const COUNT_CACHE = new WeakMap<ModelArchitecture, ParamCounts>();

/** Parameters of tensors, with routed experts scaled to the fraction a token activates. */
function sum(groups: readonly TensorGroup[], activeOnly: boolean, arch: ModelArchitecture): number {
  let n = 0;
  for (const g of groups) {
    const p = groupParams(g);
    if (activeOnly && g.role === 'routed-expert' && arch.moe) {
      n += (p / arch.moe.routedExperts) * arch.moe.expertsPerToken;
    } else {
      n += p;
    }
  }
  return n;
}

/**
 * Count parameters exactly as the checkpoint holds them. Checked against the Hugging Face counts
 * of R1-Distill-Qwen-32B (32,763,876,352) and R1-Distill-Llama-8B (8,030,261,248) in the tests.
 */
export function countParams(arch: ModelArchitecture): ParamCounts {
  const cached = COUNT_CACHE.get(arch);
  if (cached) return cached;
  const counts = countParamsOnce(arch);
  COUNT_CACHE.set(arch, counts);
  return counts;
}

function countParamsOnce(arch: ModelArchitecture): ParamCounts {
  const tensors = allTensors(arch);
  const mtp = arch.mtpLayers > 0 ? mtpTensors(arch) : { unique: [], sharedCopies: [] };
  return {
    total: sum(tensors, false, arch),
    active: Math.round(sum(tensors, true, arch)) - (arch.tieWordEmbeddings ? 0 : arch.vocabSize * arch.hiddenSize),
    embedding: arch.vocabSize * arch.hiddenSize,
    lmHead: arch.tieWordEmbeddings ? 0 : arch.vocabSize * arch.hiddenSize,
    mtpUnique: arch.mtpLayers * sum(mtp.unique, false, arch),
    mtpSharedCopies: arch.mtpLayers * sum(mtp.sharedCopies, false, arch),
    memoryParams: sum(engramTensors(arch), false, arch),
  };
}
