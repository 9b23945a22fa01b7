import { engineTraits } from '../../lib/serving';
import { MEMORY_MODEL_OF } from '../../lib/sizing/engine-memory';
import { ENGINES } from '../../lib/types';

describe('the memory model sizing assumes per engine is the engine trait', () => {
  test.each(ENGINES)('%s', (engine) => {
    // lib/sizing may not import lib/serving, so it keeps its own default table; the planner passes the trait.
    expect(MEMORY_MODEL_OF[engine]).toBe(engineTraits(engine).memoryModel);
  });

  test('data-parallel attention is planned on NVIDIA only (the cited AMD DeepSeek runs use TP), never for llama.cpp', () => {
    expect(engineTraits('vllm').dataParallelAttentionVendors).toEqual(['nvidia']);
    expect(engineTraits('sglang').dataParallelAttentionVendors).toEqual(['nvidia']);
    expect(engineTraits('llamacpp').dataParallelAttentionVendors).toEqual([]);
  });
});
