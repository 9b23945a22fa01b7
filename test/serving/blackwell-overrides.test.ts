/**
 * The vLLM V4 recipe's `hardware_overrides.blackwell` (DeepGEMM's mega-MoE backend, the FP4 indexer cache)
 * are SM100 kernels: data-centre Blackwell (B200/B300/GB200/GB300) gets them; the RTX PRO 6000 (SM120),
 * also "Blackwell" by name, does not (DeepGEMM targets SM90/SM100 only: github.com/deepseek-ai/DeepGEMM README).
 */
import { planDeployment } from '../../lib/plan/planner';
import { GPUS } from '../../lib/catalog/gpus';

const argvOn = (gpu: 'b200' | 'rtx-pro-6000') =>
  planDeployment({ model: 'deepseek-v4-flash-0731', gpus: [gpu], contextTokens: 8192 }).serving.command.join(' ');

describe('V4 Blackwell overrides follow the SM generation, not the marketing name', () => {
  test('the catalog tells SM100 from SM120', () => {
    expect(GPUS.b200.architecture).toBe('blackwell');
    expect(GPUS['rtx-pro-6000'].architecture).toBe('blackwell-sm120');
  });

  test('B200 renders the SM100 overrides', () => {
    const argv = argvOn('b200');
    expect(argv).toContain('--moe-backend deep_gemm_mega_moe');
    expect(argv).toContain('use_fp4_indexer_cache');
  });

  test('RTX PRO 6000 renders neither', () => {
    const argv = argvOn('rtx-pro-6000');
    expect(argv).not.toContain('deep_gemm_mega_moe');
    expect(argv).not.toContain('use_fp4_indexer_cache');
  });
});
