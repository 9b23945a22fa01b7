import { resolveModel } from '../../lib/catalog/models';
import { countParams } from '../../lib/sizing/params';

// Published parameter counts. Exact ones are the Hugging Face safetensors totals; the rest are the
// rounded figures in the model READMEs, checked to the precision they are published with.
describe('parameter counts derived from the architecture', () => {
  test.each([
    // [S12] HF API snapshot of deepseek-ai/DeepSeek-R1-Distill-Qwen-32B: safetensors total
    ['deepseek-r1-distill-qwen-32b', 32_763_876_352],
    // [S12] HF API snapshot of deepseek-ai/DeepSeek-R1-Distill-Llama-8B
    ['deepseek-r1-distill-llama-8b', 8_030_261_248],
  ])('%s has exactly %d parameters (Hugging Face safetensors count)', (id, expected) => {
    expect(countParams(resolveModel(id)).total).toBe(expected);
  });

  test.each([
    // DeepSeek-V3 README: "671B total parameters with 37B activated for each token" (main model, MTP excluded)
    ['deepseek-v3', 671e9, 37e9],
    ['deepseek-r1', 671e9, 37e9],
    // DeepSeek-V2 README: 236B total, 21B activated
    ['deepseek-v2', 236e9, 21e9],
    ['deepseek-coder-v2', 236e9, 21e9],
    // DeepSeek-V2 README: V2-Lite 15.7B total, 2.4B activated
    ['deepseek-v2-lite', 15.7e9, 2.4e9],
  ])('%s: ~%d total and ~%d active', (id, total, active) => {
    const p = countParams(resolveModel(id));
    expect(Math.abs(p.total - total) / total).toBeLessThan(0.005);
    // "37B" / "21B" / "2.4B" are rounded and exclude the embedding lookup: within 3%
    expect(Math.abs(p.active - active) / active).toBeLessThan(0.03);
  });

  test('V3 MTP module: 685B on Hugging Face = 671B main + 14B MTP (DeepSeek-V3 README_WEIGHTS)', () => {
    const p = countParams(resolveModel('deepseek-v3'));
    // README_WEIGHTS: 11.5B unique MTP parameters (rounded) plus the embedding/head copies (2 × 0.93B)
    expect(p.mtpUnique / 1e9).toBeGreaterThan(11.4);
    expect(p.mtpUnique / 1e9).toBeLessThan(11.7);
    expect((p.total + p.mtpUnique + p.mtpSharedCopies) / 1e9).toBeCloseTo(685, -0.5);
  });

  test('V3 total by hand: 3 dense + 58 MoE layers, MLA, 256 experts, untied head', () => {
    // Independent arithmetic from the config (facts §1a): per-layer attention
    const h = 7168;
    const attn = h * 1536 + 1536 + 1536 * 128 * 192 + h * 576 + 512 + 512 * 128 * 256 + 128 * 128 * h;
    const norms = 2 * h;
    const dense = 3 * h * 18432;
    const moe = 256 * 3 * h * 2048 + 3 * h * 2048 + 256 * h + 256; // experts + shared + gate + correction bias
    const total = 3 * (attn + norms + dense) + 58 * (attn + norms + moe) + 2 * 129280 * h + h;
    expect(countParams(resolveModel('deepseek-v3')).total).toBe(total);
  });

  test('a tied embedding is counted once', () => {
    const arch = resolveModel('deepseek-r1-distill-llama-8b');
    const tied = { ...arch, tieWordEmbeddings: true };
    expect(countParams(arch).total - countParams(tied).total).toBe(128256 * 4096);
  });

  test('dense models: every parameter but the embedding lookup is active', () => {
    const p = countParams(resolveModel('deepseek-r1-distill-qwen-7b'));
    // Qwen2.5-7B embedding: vocab 152064 × hidden 3584
    expect(p.total - p.active).toBe(152064 * 3584);
    // Qwen2.5-7B model card: "Number of Parameters: 7.61B"
    expect(p.total / 1e9).toBeCloseTo(7.61, 1);
  });
});
