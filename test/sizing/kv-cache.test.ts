import { resolveModel } from '../../lib/catalog/models';
import { attentionKind, kvBytesPerToken, kvBytesPerTokenPerLayer } from '../../lib/sizing/kv-cache';

describe('KV cache bytes per token', () => {
  test.each([
    // facts §3a: MLA latent (kv_lora_rank 512 + rope 64) × 61 layers × 2 B = 70,272 B in bf16; fp8 35,136 B
    ['deepseek-v3', 'bf16', 70_272],
    ['deepseek-r1', 'fp8', 35_136],
    // 60 layers × 576 × 2 = 69,120; V2-Lite 27 layers × 576 × 2 = 31,104
    ['deepseek-v2', 'bf16', 69_120],
    ['deepseek-v2-lite', 'bf16', 31_104],
    // GQA: 2 × layers × kv heads × head dim × 2 B (facts §3a, computed from the configs)
    ['deepseek-r1-distill-llama-8b', 'bf16', 131_072],
    ['deepseek-r1-distill-qwen-32b', 'bf16', 262_144],
    ['deepseek-r1-distill-llama-70b', 'bf16', 327_680],
    ['deepseek-r1-distill-qwen-1.5b', 'bf16', 28_672],
    // MHA: deepseek-llm-7b 30 layers × 32 heads × 128 × 2 × 2 = 491,520
    ['deepseek-llm-7b', 'bf16', 491_520],
  ] as const)('%s in %s: %d B/token', (id, dtype, bytes) => {
    expect(kvBytesPerToken(resolveModel(id), dtype)).toBe(bytes);
  });

  test('cross-check with ik_llama.cpp: R1 at 32,768 tokens, q8_0 latent = 1166.62 MiB (ik_llama.cpp PR #259)', () => {
    // q8_0 stores 34 bytes per 32 values = 1.0625 B/value; our fp8 is 1 B/value
    const arch = resolveModel('deepseek-r1');
    const mib = (kvBytesPerToken(arch, 'fp8') * 1.0625 * 32768) / 2 ** 20;
    expect(mib).toBeCloseTo(1166.62, 1);
  });

  test('MLA latent is replicated on every TP rank: bytes per rank do not shrink with TP', () => {
    const arch = resolveModel('deepseek-v3');
    expect(kvBytesPerTokenPerLayer(arch, 'bf16', 8)).toBe(kvBytesPerTokenPerLayer(arch, 'bf16', 1));
  });

  test('GQA heads split over TP, and replicate once TP exceeds the KV heads (vLLM num_kv_heads = max(1, kv // tp))', () => {
    const arch = resolveModel('deepseek-r1-distill-llama-8b'); // 8 KV heads, 128 dims
    expect(kvBytesPerTokenPerLayer(arch, 'bf16', 1)).toBe(2 * 8 * 128 * 2);
    expect(kvBytesPerTokenPerLayer(arch, 'bf16', 4)).toBe(2 * 2 * 128 * 2);
    expect(kvBytesPerTokenPerLayer(arch, 'bf16', 16)).toBe(2 * 1 * 128 * 2);
  });

  test.each([
    ['deepseek-v3', 'mla'],
    ['deepseek-r1-distill-qwen-32b', 'gqa'],
    ['deepseek-llm-7b', 'mha'],
  ] as const)('%s uses %s', (id, kind) => {
    expect(attentionKind(resolveModel(id))).toBe(kind);
  });
});
