import { GPUS } from '../../lib/catalog/gpus';
import { customGpu } from '../../lib/catalog/custom-gpu';
import { findModel } from '../../lib/catalog/models';
import { PlanError } from '../../lib/errors';
import { planDeployment } from '../../lib/plan/planner';
import { precisionSupport } from '../../lib/plan/precision-support';
import { GPU_IDS, type GpuId, type GpuSpec } from '../../lib/types';

/*
 * FP4 weights (NVFP4 / MXFP4, e.g. DeepSeek-V4's MXFP4 experts), docs/hardware-2026.md:
 * - native on FP4 tensor cores: SM100/SM103 Blackwell (B200, B300, GB200, GB300), SM120 (RTX PRO 6000), CDNA4 (MI355X);
 * - weight-only W4A16 through Marlin on NVIDIA Ampere/Ada/Hopper (a warning);
 * - refused on AMD CDNA3 (MI300X, MI325X), with the reason.
 */
const NATIVE: readonly GpuId[] = ['b200', 'b300', 'gb200', 'gb300', 'rtx-pro-6000', 'mi355x'];
const WEIGHT_ONLY: readonly GpuId[] = ['a10g', 'l4', 'l40s', 'l20', 'a100-40gb', 'a100-80gb', 'h100', 'h800', 'h20', 'h200'];
const REFUSED: readonly GpuId[] = ['mi300x', 'mi325x'];
const r1 = findModel('deepseek-r1')!;

describe('FP4 support per GPU', () => {
  test('the three lists cover every GPU once', () => {
    expect([...NATIVE, ...WEIGHT_ONLY, ...REFUSED].sort()).toEqual([...GPU_IDS].sort());
  });

  test.each(NATIVE)('%s: native, no warning', (id) => {
    const s = precisionSupport(GPUS[id], 'fp4', 'vllm', r1);
    expect(s).toMatchObject({ supported: true });
    expect(s.reason).toMatch(/FP4 tensor cores/);
    expect(s.warning).toBeUndefined();
  });

  test.each(WEIGHT_ONLY)('%s: weight-only through Marlin, with a warning', (id) => {
    const s = precisionSupport(GPUS[id], 'fp4', 'vllm', r1);
    expect(s.supported).toBe(true);
    expect(s.reason).toMatch(/weight-only \(W4A16 Marlin/);
    expect(s.warning?.code).toBe('DSIAC-PLAN5');
    expect(s.warning?.message).toMatch(/weight-only/);
  });

  test.each(REFUSED)('%s: refused, naming why and what to use instead', (id) => {
    const s = precisionSupport(GPUS[id], 'fp4', 'vllm', r1);
    expect(s.supported).toBe(false);
    expect(s.reason).toMatch(/no FP4 tensor cores.*CDNA4.*use bf16 or fp8/);
  });

  test('the rule reads capabilities, not ids: an H100 row that claims FP4 tensor cores is native', () => {
    const fake: GpuSpec = { ...GPUS.h100, nativeFp4: true, fp4DenseTflops: 1 };
    expect(precisionSupport(fake, 'fp4', 'vllm', r1).warning).toBeUndefined();
    const noMarlin: GpuSpec = { ...GPUS.h100, weightOnly: { fp8: 'none', fp4: false } };
    expect(precisionSupport(noMarlin, 'fp4', 'vllm', r1).supported).toBe(false);
  });

  test('a described GPU gets FP4 only when it says so', () => {
    expect(precisionSupport(customGpu({ memoryGiB: 96, fp4: true }).spec, 'fp4', 'vllm', r1).supported).toBe(true);
    expect(precisionSupport(customGpu({ memoryGiB: 96 }).spec, 'fp4', 'vllm', r1).supported).toBe(false);
  });
});

describe('FP4 in plans', () => {
  test('R1 at fp4 on B300: native, no weight-only warning', () => {
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp4', gpus: ['b300'] });
    expect(p.topology.instanceType).toBe('p6-b300.48xlarge');
    expect(p.warnings.join(' ')).not.toMatch(/weight-only/);
  });

  test('R1 at fp4 on H200: planned with the weight-only warning', () => {
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp4', gpus: ['h200'] });
    expect(p.topology.gpu).toBe('h200');
    expect(p.warnings.join(' ')).toMatch(/FP4 on NVIDIA H200 .* is weight-only/);
  });

  test('R1 at fp4 on MI300X: no plan, the error is on precision and says why', () => {
    try {
      planDeployment({ model: 'deepseek-r1', precision: 'fp4', target: 'azure', gpus: ['mi300x'] });
      throw new Error('expected a PlanError');
    } catch (e) {
      expect(e).toBeInstanceOf(PlanError);
      const issue = (e as PlanError).issues[0];
      expect(issue.path).toBe('precision');
      expect(issue.message).toMatch(/FP4 weights do not run on AMD Instinct MI300X/);
    }
  });
});
