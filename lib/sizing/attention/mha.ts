/** Multi-head attention: every query head has its own K/V head (deepseek-llm-7b, deepseek-coder). */
import { perHeadStrategy } from './per-head';

/** MHA: no latent, no sparse indexer, as many KV heads as attention heads. */
export const MHA = perHeadStrategy('mha', (arch) => arch.numKeyValueHeads === arch.numAttentionHeads);
