import fc from 'fast-check';
import { GPUS } from '../../lib/catalog/gpus';
import { customGpu } from '../../lib/catalog/custom-gpu';
import { findModel } from '../../lib/catalog/models';
import { precisionSupport } from '../../lib/plan/precision-support';
import { ringAllReduceSeconds, tensorParallelLinkPenalty } from '../../lib/sizing/interconnect';
import { GPU_IDS } from '../../lib/types';

const r1 = findModel('deepseek-r1')!;

describe('interconnect properties (fast-check)', () => {
  test('the PCIe penalty is ≥ 0, grows with the batch, and is 0 on NVLink/xGMI or at TP 1', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GPU_IDS), fc.constantFrom(1, 2, 4, 8), fc.integer({ min: 1, max: 512 }), (id, tp, batch) => {
        const gpu = GPUS[id];
        const a = tensorParallelLinkPenalty({ arch: r1, gpu, tensorParallelSize: tp, batch });
        const b = tensorParallelLinkPenalty({ arch: r1, gpu, tensorParallelSize: tp, batch: batch + 1 });
        expect(a.seconds).toBeGreaterThanOrEqual(0);
        expect(b.seconds).toBeGreaterThanOrEqual(a.seconds);
        if (gpu.intraNodeLinkKind !== 'pcie' || tp === 1) expect(a.seconds).toBe(0);
        else expect(a.seconds).toBeGreaterThan(0);
      }),
    );
  });

  test('a ring all-reduce takes longer on a slower link and with more hops', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e8 }), fc.integer({ min: 2, max: 64 }), fc.double({ min: 1, max: 1_000, noNaN: true }), (bytes, n, gbps) => {
        expect(ringAllReduceSeconds(bytes, n, gbps, 1.0)).toBeGreaterThan(ringAllReduceSeconds(bytes, n, gbps * 2, 1.0));
        expect(ringAllReduceSeconds(bytes, n + 1, gbps, 1.0)).toBeGreaterThan(ringAllReduceSeconds(bytes, n, gbps, 1.0));
        expect(ringAllReduceSeconds(bytes, 1, gbps, 1.0)).toBe(0);
      }),
    );
  });
});

describe('described GPUs (fast-check)', () => {
  test('precision support follows the description: FP8/FP4 exactly when declared; bf16 always', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 4096, noNaN: true }), fc.boolean(), fc.boolean(), fc.constantFrom('nvidia', 'amd' as const),
        (memoryGiB, fp8, fp4, vendor) => {
          const { spec, visibleBytes, assumptions } = customGpu({ memoryGiB, fp8, fp4, vendor: vendor as 'nvidia' | 'amd' });
          expect(visibleBytes).toBe(Math.round(memoryGiB * 2 ** 30));
          expect(precisionSupport(spec, 'bf16', 'vllm', r1).supported).toBe(true);
          expect(precisionSupport(spec, 'fp8', 'vllm', r1).supported).toBe(fp8);
          expect(precisionSupport(spec, 'fp4', 'vllm', r1).supported).toBe(fp4);
          expect(precisionSupport(spec, 'int4', 'vllm', r1).supported).toBe(vendor === 'nvidia');
          // Given fields are not listed as assumptions; the memory reading always is.
          expect(assumptions.some((a) => /FP8 tensor cores/.test(a))).toBe(false);
          expect(assumptions[0]).toMatch(/taken as the memory CUDA\/ROCm shows/);
        },
      ),
    );
  });
});
