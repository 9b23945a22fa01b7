import { resolveModel } from '../../lib/catalog/models';
import { checkpointFor, volumeGiBFor } from '../../lib/sizing/storage';
import { checkpointBytes, pipelineStageLayers, weightBytes, weightBytesPerGpu } from '../../lib/sizing/weights';

const GiB = 2 ** 30;

describe('GPU-resident weights', () => {
  test('V3/R1 FP8 weights are near 671 GB (1 byte per parameter plus block scales and 16-bit embeddings)', () => {
    const gb = weightBytes(resolveModel('deepseek-r1'), 'fp8') / 1e9;
    // facts §2: main model alone computed at 673.2 GB
    expect(gb).toBeGreaterThan(671);
    expect(gb).toBeLessThan(676);
  });

  test('V3 released checkpoint is near 688 GB, MTP included (facts §2: computed 688.6 GB)', () => {
    const gb = checkpointBytes(resolveModel('deepseek-v3')) / 1e9;
    expect(gb).toBeGreaterThan(686);
    expect(gb).toBeLessThan(691);
  });

  test('BF16 conversion of V3 is over 1.3 TB (SGLang benchmark README: "the BF16 model is over 1.3 TB")', () => {
    const c = checkpointFor(resolveModel('deepseek-v3'), 'bf16');
    expect(c.kind).toBe('bf16-conversion');
    expect(c.bytes / 1e12).toBeGreaterThan(1.3);
    expect(c.bytes / 1e12).toBeLessThan(1.4);
  });

  test('R1-Distill-Llama-8B checkpoint equals its parameters × 2 B (HF usedStorage 16,060,556,354 B holds tensors plus headers)', () => {
    const bytes = checkpointBytes(resolveModel('deepseek-r1-distill-llama-8b'));
    expect(bytes).toBe(8_030_261_248 * 2);
    expect(Math.abs(bytes - 16_060_556_354) / 16_060_556_354).toBeLessThan(0.001);
  });

  // Weights per GPU against vLLM 0.19.0's own "Model loading took X GiB" (llm-d-planner @ d3121e0
  // logs, transcribed in test/fixtures/calibration.ts). R1-Distill-Llama-8B has Llama-3.1-8B's architecture; R1-Distill-Qwen-7B
  // Qwen2.5-7B's; R1-Distill-Llama-70B Llama-3.3-70B's.
  test.each([
    ['deepseek-r1-distill-llama-8b', 'bf16', 1, 1, 14.99],
    ['deepseek-r1-distill-llama-8b', 'bf16', 2, 1, 7.51],
    ['deepseek-r1-distill-llama-8b', 'bf16', 1, 4, 4.26],
    ['deepseek-r1-distill-llama-8b', 'fp8', 1, 1, 8.49],
    ['deepseek-r1-distill-llama-8b', 'int4', 1, 1, 5.38],
    ['deepseek-r1-distill-qwen-7b', 'bf16', 1, 1, 14.25],
    ['deepseek-r1-distill-qwen-7b', 'bf16', 4, 1, 3.55],
    ['deepseek-r1-distill-qwen-7b', 'fp8', 1, 1, 8.14],
    ['deepseek-r1-distill-llama-70b', 'fp8', 2, 1, 33.88],
    ['deepseek-r1-distill-llama-70b', 'fp8', 4, 1, 16.96],
    ['deepseek-r1-distill-llama-70b', 'int8', 2, 1, 33.88],
  ] as const)('%s %s TP%d PP%d: %d GiB per GPU within 3%%', (id, precision, tp, pp, measuredGiB) => {
    const got = weightBytesPerGpu(resolveModel(id), precision, tp, pp) / GiB;
    expect(Math.abs(got - measuredGiB) / measuredGiB).toBeLessThan(0.03);
  });

  test.each([
    // vLLM get_pp_indices: even share, remainder to the stages before the last
    [32, 4, [8, 8, 8, 8]],
    [61, 2, [31, 30]],
    [61, 3, [20, 21, 20]],
    [61, 4, [15, 15, 16, 15]],
    [80, 3, [27, 27, 26]],
  ])('%d layers over PP %d → %j', (layers, pp, split) => {
    expect(pipelineStageLayers(layers, pp)).toEqual(split);
    expect(split.reduce((a, b) => a + b, 0)).toBe(layers);
  });
});

describe('storage volume', () => {
  test.each([
    [16e9, 500], // small checkpoints get the 500 GiB floor
    [688.6e9, 740], // 688.6e9 × 1.15 / 2^30 = 737.5 → 740
    [1.342e12, 1440],
  ])('%d-byte checkpoint → %d GiB', (bytes, gib) => {
    expect(volumeGiBFor(bytes)).toBe(gib);
  });
});
