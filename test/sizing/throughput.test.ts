import { getGpu } from '../../lib/catalog/gpus';
import { resolveModel } from '../../lib/catalog/models';
import { kvBytesPerTokenPerLayer } from '../../lib/sizing/kv-cache';
import { estimateDecode } from '../../lib/sizing/throughput';

// The per-layer latency constants were fitted on these two published points (throughput.ts says so):
// these tests are regression guards for the fit, not independent validation. The third test is a
// property that holds for any constants.
describe('decode estimate (labelled roofline): regression guards on the two points the latency constants were fitted on', () => {
  test('R1-0528 FP8 on 8×H200, batch 1: within ±25% of the 61 tok/s (TPOT 15.85 ms) of the vLLM recipe it was fitted on [S15]', () => {
    const arch = resolveModel('deepseek-r1-0528');
    const e = estimateDecode({
      arch, precision: 'fp8', gpu: getGpu('h200'), tensorParallelSize: 8, pipelineParallelSize: 1,
      concurrency: 1, averageKvTokens: 8500, kvBytesPerTokenPerGpu: 61 * kvBytesPerTokenPerLayer(arch, 'bf16', 8),
    });
    expect(e.singleStreamTokensPerSecond).toBeGreaterThan(61 * 0.75);
    expect(e.singleStreamTokensPerSecond).toBeLessThan(61 * 1.25);
  });

  test('R1-Distill-Qwen-32B TP2 on A100-80GB, single stream: between 24 and 40 tok/s, around the ~30–32 tok/s it was fitted on (llama.cpp #11474 thread, vLLM TP2)', () => {
    const arch = resolveModel('deepseek-r1-distill-qwen-32b');
    const e = estimateDecode({
      arch, precision: 'bf16', gpu: getGpu('a100-80gb'), tensorParallelSize: 2, pipelineParallelSize: 1,
      concurrency: 1, averageKvTokens: 1000, kvBytesPerTokenPerGpu: 64 * kvBytesPerTokenPerLayer(arch, 'bf16', 2),
    });
    expect(e.singleStreamTokensPerSecond).toBeGreaterThan(24);
    expect(e.singleStreamTokensPerSecond).toBeLessThan(40);
  });

  test('more concurrency raises aggregate throughput and never raises per-stream speed', () => {
    const arch = resolveModel('deepseek-r1-distill-llama-8b');
    const base = { arch, precision: 'bf16' as const, gpu: getGpu('l40s'), tensorParallelSize: 1, pipelineParallelSize: 1, averageKvTokens: 2048, kvBytesPerTokenPerGpu: 131072 };
    const one = estimateDecode({ ...base, concurrency: 1 });
    const many = estimateDecode({ ...base, concurrency: 32 });
    expect(many.tokensPerSecond).toBeGreaterThan(one.tokensPerSecond);
    expect(many.tokensPerSecond / 32).toBeLessThanOrEqual(one.tokensPerSecond);
  });
});
