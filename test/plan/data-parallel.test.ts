/**
 * Data-parallel attention with expert parallelism (DP+EP) against TP × PP on the same hardware.
 * Facts: docs/engines-2026.md §8 (vllm-project/recipes#762, vllm-project/vllm#51454).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { enumerateCandidates, planDeployment, resolveRequest, engineMemory, resolveModel, INSTANCES, type Plan, type DeploymentSpec } from '../../lib';
import { visibleBytesOf } from '../../lib/catalog/gpu-visible-memory';
import { tokens } from '../serving/helpers';

const GiB = 2 ** 30;
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'hf-configs', name), 'utf8'));

/** The feasible TP × PP and DP+EP candidates of a request on one instance type and node count. */
function both(spec: DeploymentSpec) {
  const all = enumerateCandidates(resolveRequest(spec)).filter((c) => c.rejections.length === 0);
  const tp = all.find((c) => c.topology.dataParallelSize === 1)!;
  const dp = all.find((c) => c.topology.dataParallelSize > 1)!;
  expect(tp).toBeDefined();
  expect(dp).toBeDefined();
  return { tp, dp };
}

const parallelism = (p: Plan) => p.decisions.find((d) => d.field === 'topology.parallelism')!;

describe('R1 FP8 on 8 × H200 (p5en.48xlarge): TP8 vs DP8+EP', () => {
  const spec = { model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5en.48xlarge' } as const;
  const tp = planDeployment({ ...spec, dataParallelSize: 1 });
  const dp = planDeployment({ ...spec, dataParallelSize: 8 });
  const chosen = planDeployment(spec);

  test('per-GPU weights: DP replicates everything but the routed experts, which it splits 8 ways', () => {
    // R1 routed experts (config.json: 61 layers, first_k_dense_replace 3 → 58 MoE layers, 256 experts,
    // hidden 7168, moe_intermediate 2048): 3 matrices of 7168 × 2048 FP8 each plus one fp32 scale per
    // 128×128 block (2048/128 × 7168/128 = 16 × 56 = 896 scales × 4 B = 3,584 B).
    const routed = 58 * 256 * 3 * (7168 * 2048 + 16 * 56 * 4); // 654,068,416,512 B (44,544 matrices × 14,683,648 B)
    expect(routed).toBe(654_068_416_512);
    const whole = tp.memory.weightsBytes;
    // DP rank: the rest whole (attention, 3 dense layers, shared experts, embeddings, head) + 1/8 of the experts.
    expect(Math.abs(dp.memory.weightsBytesPerGpu - (whole - routed + routed / 8))).toBeLessThan(1024);
    // TP8 splits all matrices: about an eighth of the whole, plus the replicated norms/routers (< 1 GiB).
    expect(tp.memory.weightsBytesPerGpu).toBeGreaterThan(whole / 8);
    expect(tp.memory.weightsBytesPerGpu - whole / 8).toBeLessThan(GiB);
    // The difference is 7/8 of the non-expert weights (≈ 16.2 GB): 14.5 GiB more per GPU under DP.
    expect((dp.memory.weightsBytesPerGpu - tp.memory.weightsBytesPerGpu) / GiB).toBeGreaterThan(13);
  });

  test('KV per token per GPU is the same latent (61 × 576 × 2 B = 70,272 B): TP copies it, DP ranks hold their own', () => {
    expect(tp.memory.kvCacheBytesPerTokenPerGpu).toBe(61 * (512 + 64) * 2);
    expect(dp.memory.kvCacheBytesPerTokenPerGpu).toBe(61 * (512 + 64) * 2);
  });

  test('KV pool and capacity: pool = budget − weights − overhead; DP adds up 8 pools, in 64-token blocks', () => {
    for (const p of [tp, dp]) {
      expect(p.memory.kvPoolBytesPerGpu).toBe(p.memory.budgetBytesPerGpu - p.memory.weightsBytesPerGpu - p.memory.overheadBytesPerGpu);
    }
    const perRank = (p: Plan) => Math.floor(p.memory.kvPoolBytesPerGpu / (70_272 * 64)) * 64;
    expect(tp.memory.kvTokenCapacity).toBe(perRank(tp));
    expect(dp.memory.kvTokenCapacity).toBe(8 * perRank(dp));
    expect(dp.decisions.find((d) => d.field === 'memory.kvTokenCapacity')?.value).toBe(dp.memory.kvTokenCapacity);
    expect(tp.memory.maxConcurrency).toBe(Math.floor(perRank(tp) / 32_768));
    expect(dp.memory.maxConcurrency).toBe(8 * Math.floor(perRank(dp) / 32_768));
    // DP ÷ TP capacity = 8 × (DP pool ÷ TP pool): less than 8 here because R1's replicated non-expert
    // weights and the all-to-all buffer take ~16 GiB of each H200's 125.8 GiB budget.
    const ratio = dp.memory.kvTokenCapacity / tp.memory.kvTokenCapacity;
    expect(ratio).toBeCloseTo((8 * dp.memory.kvPoolBytesPerGpu) / tp.memory.kvPoolBytesPerGpu, 0);
    expect(ratio).toBeGreaterThan(4);
  });

  test('the all-to-all buffer is DeepEP\'s low-latency layout: 2 × (128 + 256 × 128) × (2 × 7168 + 16) B', () => {
    expect(dp.decisions.find((d) => d.field === 'memory.allToAllBytesPerGpu')?.value).toBe(2 * (128 + 256 * 128) * (2 * 7168 + 16));
    expect(tp.decisions.find((d) => d.field === 'memory.allToAllBytesPerGpu')).toBeUndefined();
  });

  test('the planner chooses DP8+EP (more concurrent requests on the same node) and records both options', () => {
    expect(chosen.topology).toMatchObject({ instanceType: 'p5en.48xlarge', nodes: 1, tensorParallelSize: 1, dataParallelSize: 8, expertParallel: true, expertParallelSize: 8, replicas: 1 });
    expect(chosen.memory.maxConcurrency).toBe(dp.memory.maxConcurrency);
    const d = parallelism(chosen);
    expect(d.value).toBe('DP 8 + EP 8');
    expect(d.reason).toContain(`DP 8 + EP 8: ${dp.memory.maxConcurrency} request(s)`);
    expect(d.reason).toContain(`TP 8 PP 1 + EP 8: ${tp.memory.maxConcurrency} request(s)`);
    expect(tp.topology).toMatchObject({ tensorParallelSize: 8, dataParallelSize: 1, expertParallel: true, expertParallelSize: 8 });
  });

  test('the launch: vLLM --tensor-parallel-size 1 --data-parallel-size 8 --enable-expert-parallel, batch cap per rank ≥ the rank\'s capacity', () => {
    const t = tokens(chosen.serving.command);
    expect(t.slice(t.indexOf('--tensor-parallel-size'), t.indexOf('--tensor-parallel-size') + 4)).toEqual(['--tensor-parallel-size', '1', '--data-parallel-size', '8']);
    expect(t).toContain('--enable-expert-parallel');
    const cap = Number(t[t.indexOf('--max-num-seqs') + 1]);
    expect(cap * 8).toBeGreaterThanOrEqual(chosen.memory.maxConcurrency);
  });
});

describe('V4-Flash-0731 on 8 × B200 (p6-b200.48xlarge): TP8 vs DP8+EP', () => {
  const spec = { model: 'deepseek-v4-flash-0731', instanceType: 'p6-b200.48xlarge' } as const;
  const tp = planDeployment({ ...spec, dataParallelSize: 1 });
  const dp = planDeployment({ ...spec, dataParallelSize: 8 });

  test('weights per GPU, KV pool and capacity; DP holds close to 8 × TP (single latent head)', () => {
    // Experts dominate Flash (256 × 43 layers of MXFP4): DP adds only the non-expert part per GPU.
    expect(dp.memory.weightsBytesPerGpu).toBeGreaterThan(tp.memory.weightsBytesPerGpu);
    expect((dp.memory.weightsBytesPerGpu - tp.memory.weightsBytesPerGpu) / GiB).toBeLessThan(8);
    expect(dp.memory.kvCacheBytesPerTokenPerGpu).toBe(tp.memory.kvCacheBytesPerTokenPerGpu);
    const ratio = dp.memory.maxConcurrency / tp.memory.maxConcurrency;
    expect(ratio).toBeGreaterThan(7);
    expect(ratio).toBeLessThanOrEqual(8);
    expect(planDeployment(spec).topology.dataParallelSize).toBe(8);
  });

  test('held-back start-up check: recipes#762 / vllm#51454 measured 156.9× vs 20.43× max concurrency at 1M (7.7×)', () => {
    // vLLM 0.25.0, 8 × B200, --gpu-memory-utilization 0.95, --kv-cache-dtype fp8, --block-size 256,
    // --max-num-seqs 256, --max-num-batched-tokens 8192, max_model_len 1M (the startup logs).
    const arch = resolveModel('deepseek-v4-flash-0731');
    const inst = INSTANCES.find((i) => i.instanceType === 'p6-b200.48xlarge')!;
    const len = 1_048_576;
    const size = (tensorParallelSize: number) => engineMemory({
      arch, engine: 'vllm', precision: 'fp4', kvCacheDtype: 'fp8', tensorParallelSize, pipelineParallelSize: 1, expertParallelSize: 8,
      visibleBytes: visibleBytesOf(inst), gpuMemoryUtilization: 0.95, maxNumSeqs: 256, maxModelLenTokens: len, maxNumBatchedTokens: 8192,
    });
    const tpConcurrency = size(8).kvTokenCapacity / len;
    const dpConcurrency = 8 * (size(1).kvTokenCapacity / len);
    // The ratio within 5% of 156.9 / 20.43 = 7.68; each side within 15% of its log.
    expect(Math.abs(dpConcurrency / tpConcurrency / (156.9 / 20.43) - 1)).toBeLessThan(0.05);
    expect(Math.abs(tpConcurrency / 20.43 - 1)).toBeLessThan(0.15);
    expect(Math.abs(dpConcurrency / 156.9 - 1)).toBeLessThan(0.15);
  });
});

describe('GQA MoE: DP capacity is not close to 8 × TP', () => {
  test('Qwen3-30B-A3B (4 KV heads) on 8 × H100: each DP rank stores all 4 KV heads, TP8 one per GPU', () => {
    const { tp, dp } = both({ hfConfig: fixture('qwen3-30b-a3b.json'), instanceType: 'p5.48xlarge', precision: 'bf16' });
    // 48 layers × 2 (K, V) × heads × 128 × 2 B: TP8 holds 1 head per GPU (4 heads copied to 8 ranks), DP all 4.
    expect(tp.memory!.kvBytesPerTokenPerGpu).toBe(48 * 2 * 1 * 128 * 2);
    expect(dp.memory!.kvBytesPerTokenPerGpu).toBe(48 * 2 * 4 * 128 * 2);
    // So DP ÷ TP = 8 × (1 ÷ 4) × pool ratio ≈ 2, far from 8.
    const ratio = dp.maxConcurrency / tp.maxConcurrency;
    expect(ratio).toBeLessThan(2.5);
    expect(ratio).toBeCloseTo(2 * (dp.memory!.kvPoolBytesPerGpu / tp.memory!.kvPoolBytesPerGpu), 0);
  });
});

describe('pins and rendering', () => {
  test('SGLang R1 FP8 on 2 × 8 H100: DP16 attention + DeepEP across nodes; pinning dataParallelSize 1 gives the documented TP16', () => {
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp8', gpus: ['h100'], engine: 'sglang' });
    expect(p.topology).toMatchObject({ nodes: 2, dataParallelSize: 16, tensorParallelSize: 1 });
    const t = tokens(p.serving.command);
    for (const w of ['--tp-size', '16', '--dp-size', '--enable-dp-attention', '--moe-a2a-backend', 'deepep']) expect(t).toContain(w);
    expect(tokens(p.serving.multiNode!.workerCommand)).toContain('--enable-dp-attention');
    const documented = planDeployment({ model: 'deepseek-r1', precision: 'fp8', gpus: ['h100'], engine: 'sglang', dataParallelSize: 1 });
    expect(documented.topology).toMatchObject({ nodes: 2, tensorParallelSize: 16 });
    expect(parallelism(p).reason).toContain(`TP 16 PP 1: ${documented.memory.maxConcurrency} request(s)`);
  });

  test('vLLM multi-node DP: head serves the API, workers run --headless from rank NODE_RANK × 8', () => {
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5.48xlarge', nodes: 2, dataParallelSize: 16 });
    const head = tokens(p.serving.command);
    const worker = tokens(p.serving.multiNode!.workerCommand);
    expect(p.serving.multiNode!.mechanism).toBe('vllm-data-parallel');
    for (const t of [head, worker]) {
      for (const w of ['--data-parallel-size', '16', '--data-parallel-size-local', '8', '--data-parallel-address', '--data-parallel-rpc-port', '13345', '--enable-expert-parallel']) expect(t).toContain(w);
      expect(t).not.toContain('--distributed-executor-backend');
    }
    expect(head).not.toContain('--headless');
    expect(worker).toContain('--headless');
    expect(worker.join(' ')).toContain('--data-parallel-start-rank $((${NODE_RANK} * 8))');
    expect(worker).not.toContain('--port');
  });

  test('--no-expert-parallel keeps TP × PP without EP; DP on a dense model is refused with the reason', () => {
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp8', gpus: ['h200'], expertParallel: false });
    expect(p.topology).toMatchObject({ dataParallelSize: 1, expertParallel: false, expertParallelSize: 1 });
    expect(tokens(p.serving.command)).not.toContain('--enable-expert-parallel');
    expect(() => planDeployment({ model: 'deepseek-r1-distill-llama-70b', dataParallelSize: 8 })).toThrow(/dataParallelSize: 8: data-parallel attention .* dense/);
    expect(() => planDeployment({ model: 'deepseek-r1', dataParallelSize: 8, expertParallel: false })).toThrow(/expertParallel: false conflicts/);
  });

  test('alternatives show their layout', () => {
    const p = planDeployment({ model: 'deepseek-r1', precision: 'fp8' });
    expect(p.alternatives.length).toBeGreaterThan(0);
    for (const a of p.alternatives) expect(a.parallelism).toMatch(/^(TP \d+ PP \d+|DP \d+ \+ EP \d+)/);
  });
});
