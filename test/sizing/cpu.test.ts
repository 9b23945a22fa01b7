import { resolveModel } from '../../lib/catalog/models';
import { CPU_DECODE_EFFICIENCY, DEFAULT_CPU_HOST, GGUF_FOR_PRECISION, GGUF_TYPES, ggufWeightBytes, sizeCpu, type CpuHost } from '../../lib/sizing/cpu';
import { countParams } from '../../lib/sizing/params';
import { PRECISIONS } from '../../lib/types';

const GiB = 2 ** 30;
const r1 = resolveModel('deepseek-r1');
const v3 = resolveModel('deepseek-v3');

describe('GGUF types', () => {
  test('Q8_0 is 8.5 bits: blocks of 32 int8 weights plus one f16 scale = 34 bytes / 32 weights', () => {
    expect(GGUF_TYPES.Q8_0.bitsPerWeight).toBeCloseTo((34 * 8) / 32, 2);
  });

  test.each([
    ['int4', 'Q4_K_M'],
    ['int8', 'Q8_0'],
    ['fp16', 'F16'],
    ['bf16', 'BF16'],
    ['fp8', undefined],
  ])('precision %s → %s (llama.cpp has no FP8 type)', (precision, type) => {
    expect(GGUF_FOR_PRECISION[precision as keyof typeof GGUF_FOR_PRECISION]).toBe(type);
  });

  test('every precision is either mapped or deliberately left out', () => {
    // fp8 and fp4 (the GPU FP4 formats) have no GGUF mapping here: serve int8 (Q8_0) or int4 (Q4_K_M) on a CPU.
    expect(PRECISIONS.filter((p) => !GGUF_FOR_PRECISION[p])).toEqual(['fp8', 'fp4']);
  });

  // R1-Distill-Llama-8B has Llama-3.1-8B's architecture (8,030,261,248 parameters on Hugging Face).
  // llama.cpp's quantize README lists Llama-3.1-8B files of 4.58 GiB (Q4_K_M), 7.95 GiB (Q8_0) and
  // 14.96 GiB (F16) (ggml-org/llama.cpp@311c2c9f:tools/quantize/README.md).
  test.each([
    ['Q4_K_M', 4.58],
    ['Q8_0', 7.95],
    ['F16', 14.96],
  ] as const)('a %s file of an 8B Llama is %s GiB, as llama.cpp lists it', (type, gib) => {
    expect(ggufWeightBytes(resolveModel('deepseek-r1-distill-llama-8b'), type) / GiB).toBeCloseTo(gib, 1);
  });

  test('file size = parameters × bits / 8: llama.cpp reports an R1 GGUF as 333.130 GiB at 4.264 BPW, i.e. 671.1e9 weights', () => {
    const implied = (333.13 * GiB * 8) / 4.264;
    expect(countParams(r1).total / implied).toBeGreaterThan(0.998);
    expect(countParams(r1).total / implied).toBeLessThan(1.002);
  });
});

describe('CPU RAM', () => {
  test('R1 Q4_K_M at 32K context needs ~407.6 GiB: more than the article’s 384 GB server', () => {
    // weights 671.03e9 × 4.8944 / 8 = 410.5e9 B (382.3 GiB); KV 61 layers × (512 + 64) × 2 B = 70,272 B/token
    // × 32,768 = 2.30e9 B (2.1 GiB); reserve 4 GiB + 5% of weights (19.1 GiB) → 407.6 GiB.
    const s = sizeCpu({ arch: r1, ggufType: 'Q4_K_M', host: DEFAULT_CPU_HOST, contextTokens: 32_768, concurrency: 1 });
    expect(s.weightsBytes / GiB).toBeCloseTo(382.3, 1);
    expect(s.kvBytesPerToken).toBe(70_272);
    expect(s.ramBytesNeeded / GiB).toBeCloseTo(407.6, 1);
    expect(s.ramBytesNeeded).toBeGreaterThan(384 * GiB);
  });

  test('KV grows with context × concurrency, weights do not', () => {
    const base = { arch: r1, ggufType: 'Q4_K_M' as const, host: DEFAULT_CPU_HOST };
    const one = sizeCpu({ ...base, contextTokens: 8192, concurrency: 1 });
    const four = sizeCpu({ ...base, contextTokens: 8192, concurrency: 4 });
    expect(four.kvCacheBytes).toBe(4 * one.kvCacheBytes);
    expect(four.weightsBytes).toBe(one.weightsBytes);
  });

  test('threads = physical cores', () => {
    expect(sizeCpu({ arch: r1, ggufType: 'Q4_K_M', host: { ...DEFAULT_CPU_HOST, cores: 96 }, contextTokens: 1024, concurrency: 1 }).threads).toBe(96);
  });
});

describe('CPU decode estimate: the two DeepSeek-671B runs CPU_DECODE_EFFICIENCY was fitted on, and one it was not', () => {
  // R1 activates 36.63e9 parameters per token (countParams, DeepSeek's "37B").
  // The first two runs are where the low and high efficiencies come from (lib/sizing/cpu.ts): these tests guard
  // the fit and the bandwidth arithmetic, they do not validate the estimate. The third host was not used in the fit.
  test('fit point, high efficiency: Tencent Xuanwu Lab, one EPYC 9135, 12 × DDR5-5600 (537.6 GB/s), R1 Q8_0, llama.cpp peak 7.17 tok/s, reproduced within 5%', () => {
    const host: CpuHost = { ramGiB: 768, memoryBandwidthGBps: 537.6, cores: 16, sockets: 1 };
    const s = sizeCpu({ arch: r1, ggufType: 'Q8_0', host, contextTokens: 1024, concurrency: 1 });
    expect(s.singleStreamTokensPerSecond.high).toBeGreaterThan(7.17 * 0.95);
    expect(s.singleStreamTokensPerSecond.high).toBeLessThan(7.17 * 1.05);
  });

  test('fit point, low efficiency: KTransformers baseline, dual Xeon Gold 6454S, 8 × DDR5-4800 per socket, V3 Q4_K_M, llama.cpp 4.51 tok/s, reproduced within 5%', () => {
    const host: CpuHost = { ramGiB: 1024, memoryBandwidthGBps: 2 * 307.2, cores: 64, sockets: 2 };
    const s = sizeCpu({ arch: v3, ggufType: 'Q4_K_M', host, contextTokens: 1024, concurrency: 1 });
    expect(s.singleStreamTokensPerSecond.low).toBeGreaterThan(4.51 * 0.95);
    expect(s.singleStreamTokensPerSecond.low).toBeLessThan(4.51 * 1.05);
  });

  test('not fitted on: the article’s dual EPYC DDR5 server (5–8 tok/s for R1): our Q4_K_M range overlaps it', () => {
    // Same bandwidth as the article's host (2 × 12 × DDR5-4800), with enough RAM to hold Q4_K_M.
    const s = sizeCpu({ arch: r1, ggufType: 'Q4_K_M', host: { ...DEFAULT_CPU_HOST, ramGiB: 512 }, contextTokens: 32_768, concurrency: 1 });
    // low: 0.33 × 460.8 GB/s ÷ (22.41 GB weights + 1.15 GB KV read) = 6.5 tok/s; high: 0.52 × … = 10.2 tok/s.
    expect(s.singleStreamTokensPerSecond.low).toBeCloseTo(6.5, 1);
    expect(s.singleStreamTokensPerSecond.high).toBeCloseTo(10.2, 1);
    expect(s.singleStreamTokensPerSecond.low).toBeLessThan(8);
    expect(s.singleStreamTokensPerSecond.high).toBeGreaterThan(5);
  });

  test('the range is the two efficiencies, low below high', () => {
    expect(CPU_DECODE_EFFICIENCY.low).toBeLessThan(CPU_DECODE_EFFICIENCY.high);
  });

  test('a second socket adds no bandwidth to the estimate (neither published run got more than one socket’s worth)', () => {
    const base = { arch: r1, ggufType: 'Q4_K_M' as const, contextTokens: 1024, concurrency: 1 };
    const one = sizeCpu({ ...base, host: { ramGiB: 512, memoryBandwidthGBps: 460.8, cores: 32, sockets: 1 } });
    const two = sizeCpu({ ...base, host: { ramGiB: 512, memoryBandwidthGBps: 921.6, cores: 64, sockets: 2 } });
    expect(two.singleStreamTokensPerSecond.high).toBeCloseTo(one.singleStreamTokensPerSecond.high, 6);
  });

  test('tokens/s scale with bandwidth and fall with bigger weights', () => {
    const base = { arch: r1, contextTokens: 1024, concurrency: 1 };
    const slow = sizeCpu({ ...base, ggufType: 'Q4_K_M', host: { ...DEFAULT_CPU_HOST, memoryBandwidthGBps: 460.8 } });
    const fast = sizeCpu({ ...base, ggufType: 'Q4_K_M', host: { ...DEFAULT_CPU_HOST, memoryBandwidthGBps: 921.6 } });
    const q8 = sizeCpu({ ...base, ggufType: 'Q8_0', host: DEFAULT_CPU_HOST });
    expect(fast.singleStreamTokensPerSecond.low / slow.singleStreamTokensPerSecond.low).toBeCloseTo(2, 6);
    expect(q8.singleStreamTokensPerSecond.low).toBeLessThan(fast.singleStreamTokensPerSecond.low);
  });

  test('batching: aggregate grows with concurrency, per stream never beats a single stream; MoE reads more experts per step', () => {
    const base = { arch: r1, ggufType: 'Q4_K_M' as const, host: { ...DEFAULT_CPU_HOST, ramGiB: 768 }, contextTokens: 4096 };
    const one = sizeCpu({ ...base, concurrency: 1 });
    const eight = sizeCpu({ ...base, concurrency: 8 });
    expect(one.aggregateTokensPerSecond.low).toBeCloseTo(one.singleStreamTokensPerSecond.low, 6);
    expect(eight.aggregateTokensPerSecond.low).toBeGreaterThan(one.aggregateTokensPerSecond.low);
    expect(eight.aggregateTokensPerSecond.low / 8).toBeLessThan(one.singleStreamTokensPerSecond.low);
    // 8 tokens touch 1 − (1 − 8/256)^8 = 22.4% of the routed experts instead of 3.1%: far less than 8× the speed.
    expect(eight.aggregateTokensPerSecond.low).toBeLessThan(4 * one.aggregateTokensPerSecond.low);
  });

  test('a dense model reads its weights once per step: 4 streams cost only their KV on top', () => {
    const arch = resolveModel('deepseek-r1-distill-qwen-7b');
    const base = { arch, ggufType: 'Q4_K_M' as const, host: { ramGiB: 64, memoryBandwidthGBps: 89.6, cores: 8, sockets: 1 }, contextTokens: 2048 };
    const one = sizeCpu({ ...base, concurrency: 1 });
    const four = sizeCpu({ ...base, concurrency: 4 });
    expect(four.aggregateTokensPerSecond.low).toBeGreaterThan(3 * one.aggregateTokensPerSecond.low);
    expect(four.aggregateTokensPerSecond.low).toBeLessThan(4 * one.aggregateTokensPerSecond.low);
  });
});
