import { planDeployment } from '../../lib';

describe('vLLM environment from the plan', () => {
  test('B200 FP8 MoE asks for FlashInfer MoE kernels (vLLM DeepSeek recipe: VLLM_USE_FLASHINFER_MOE_FP8=1)', () => {
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp8', gpus: ['b200'] });
    expect(p.serving.env.VLLM_USE_FLASHINFER_MOE_FP8).toBe('1');
    const h200 = planDeployment({ model: 'deepseek-r1', precision: 'fp8', gpus: ['h200'] });
    expect(h200.serving.env.VLLM_USE_FLASHINFER_MOE_FP8).toBeUndefined();
  });

  test('multi-node over EFA selects the libfabric EFA provider; single node does not', () => {
    const multi = planDeployment({ model: 'deepseek-v3', precision: 'bf16', gpus: ['h200'] });
    expect(multi.topology.interconnect).toBe('efa');
    expect(multi.serving.env.FI_PROVIDER).toBe('efa');
    const single = planDeployment({ model: 'deepseek-r1', precision: 'fp8', gpus: ['h200'] });
    expect(single.serving.env.FI_PROVIDER).toBeUndefined();
  });
});
