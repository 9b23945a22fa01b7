/**
 * Hardware rules for the 2026 models (docs/deepseek-2026-models.md §4, vllm-project/recipes V4 recipes):
 * V4 on MI300X only where an engine supports it, FP4 experts on Hopper through Marlin.
 */
import { planDeployment, isPlanError } from '../../lib';

function noFit(spec: Record<string, unknown>): string {
  try {
    planDeployment(spec);
  } catch (e) {
    if (isPlanError(e)) return e.issues.map((i) => i.message).join(' ');
    throw e;
  }
  throw new Error(`planned: ${JSON.stringify(spec)}`);
}

describe('DeepSeek-V4 on MI300X', () => {
  test('vLLM is refused with the reason (its V4 recipes mark MI300X/MI325X unsupported)', () => {
    expect(noFit({ model: 'deepseek-v4-flash', precision: 'fp8', target: 'azure', gpus: ['mi300x'], engine: 'vllm' }))
      .toMatch(/not served by vllm 0\.31\.0 on CDNA3 GPUs: vLLM's DeepSeek-V4 recipes mark MI300X\/MI325X \(CDNA3\) unsupported/);
  });

  test('SGLang runs V4-Flash FP8 on one 8 × MI300X node at TP 8; the released FP4 is refused (no FP4 on CDNA3)', () => {
    const p = planDeployment({ model: 'deepseek-v4-flash', precision: 'fp8', target: 'azure', gpus: ['mi300x'], engine: 'sglang' });
    expect(p.topology).toMatchObject({ gpu: 'mi300x', nodes: 1, tensorParallelSize: 8, dataParallelSize: 1 });
    expect(noFit({ model: 'deepseek-v4-flash', target: 'azure', gpus: ['mi300x'], engine: 'sglang' })).toMatch(/FP4 weights do not run on AMD Instinct MI300X/);
  });
});

describe('DeepSeek-V4 FP4 experts on Hopper', () => {
  test('vLLM and SGLang plan V4-Pro-0813 on 8 × H200 weight-only (Marlin), with the warning; SGLang renders --moe-runner-backend marlin', () => {
    const v = planDeployment({ model: 'deepseek-v4-pro-0813', gpus: ['h200'] });
    expect(v.warnings.join(' ')).toMatch(/weight-only .*Marlin/);
    const s = planDeployment({ model: 'deepseek-v4-pro-0813', gpus: ['h200'], engine: 'sglang' });
    expect(s.serving.command.join(' ')).toContain('--moe-runner-backend marlin');
  });
});

describe('DeepSeek-V4 at fp8 needs an FP8 re-quantized checkpoint', () => {
  test('SGLang on 8 × H200 at fp8: no Marlin (the experts are FP8), no --quantization, and the checkpoint warning', () => {
    const p = planDeployment({ model: 'deepseek-v4-flash', precision: 'fp8', gpus: ['h200'], engine: 'sglang' });
    const argv = p.serving.command.join(' ');
    expect(argv).not.toContain('marlin');
    expect(argv).not.toContain('--quantization');
    expect(p.warnings.join(' ')).toMatch(/released with MXFP4 experts: fp8 serves an FP8 re-quantized checkpoint \(e\.g\. sgl-project\/DeepSeek-V4-Flash-FP8/);
    // As released (fp4) the same node runs the experts through Marlin and needs no re-quantized checkpoint.
    const fp4 = planDeployment({ model: 'deepseek-v4-flash', gpus: ['h200'], engine: 'sglang' });
    expect(fp4.serving.command.join(' ')).toContain('--moe-runner-backend marlin');
    expect(fp4.warnings.join(' ')).not.toMatch(/re-quantized/);
  });
});
