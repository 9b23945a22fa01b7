/**
 * The attention kinds, most specific first: the first strategy whose `matches` accepts a model sizes
 * it. Adding a kind: write `<kind>.ts` exporting an `AttentionStrategy`, add its name to
 * `AttentionKind` (lib/types.ts), and list it here ahead of any kind it specializes.
 */
import { PlanError } from '../../errors';
import type { ModelArchitecture } from '../../types';
import { DSA } from './dsa';
import { GQA } from './gqa';
import { HYBRID } from './hybrid';
import { MHA } from './mha';
import { MLA } from './mla';
import type { AttentionStrategy } from './types';

/** Every registered strategy, in match order (hybrid and dsa before mla; mha before gqa). */
export const ATTENTION_STRATEGIES: readonly AttentionStrategy[] = [HYBRID, DSA, MLA, MHA, GQA];

const cache = new WeakMap<ModelArchitecture, AttentionStrategy>();

/** The strategy that sizes `arch`'s attention. */
export function attentionStrategy(arch: ModelArchitecture): AttentionStrategy {
  let hit = cache.get(arch);
  if (!hit) {
    hit = ATTENTION_STRATEGIES.find((s) => s.matches(arch));
    if (!hit) throw PlanError.single('model.attention', `no attention strategy matches ${arch.id}; known kinds: ${ATTENTION_STRATEGIES.map((s) => s.kind).join(', ')}`);
    cache.set(arch, hit);
  }
  return hit;
}
