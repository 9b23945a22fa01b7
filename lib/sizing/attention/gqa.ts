/** Grouped-query attention: fewer KV heads than query heads (Llama-3, Qwen2.5, the R1 distills). */
import { perHeadStrategy } from './per-head';

/** GQA: the fallback for per-head attention with fewer KV heads than query heads. */
export const GQA = perHeadStrategy('gqa', (arch) => arch.numKeyValueHeads !== arch.numAttentionHeads);
