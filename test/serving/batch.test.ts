/**
 * The batch cap: never below what the KV pool holds at the workload's context; `--concurrency` is a
 * floor, not the cap. vLLM: max(vLLM's default, KV capacity, concurrency); vLLM's default is 1024 on
 * GPUs showing ≥ 70 GiB that are not A100s, 256 elsewhere (EngineArgs.get_batch_defaults at
 * vllm-project/vllm@99d7eb5d). SGLang: the flag is left to the engine. Plans: no rendered command caps
 * below memory.maxConcurrency.
 */
import fc from 'fast-check';
import { batchCap, vllmDefaultMaxNumSeqs, renderLaunch } from '../../lib/serving';
import { planDeployment } from '../../lib';
import { GPU_IDS, type GpuId } from '../../lib/types';
import { launchInput, tokens } from './helpers';

const GIB = 2 ** 30;

describe("vLLM's default max_num_seqs per GPU", () => {
  // Visible memory from lib/catalog/gpu-visible-memory.ts, against get_batch_defaults' 70 GiB line:
  test.each([
    ['h100', 1024], // 79.19 GiB ≥ 70
    ['h200', 1024], // 143,156 MiB = 139.8 GiB
    ['b200', 1024], // 191,503,007,744 B = 178.4 GiB
    ['mi300x', 1024], // 196,592 MiB = 192.0 GiB ("For GPUs like H100 and MI300x")
    ['a100-80gb', 256], // 85,100,068,864 B = 79.3 GiB, but "a100" is excluded (PR #17885)
    ['a100-40gb', 256], // 42,298,834,944 B = 39.4 GiB
    ['l40s', 256], // 47,803,596,800 B = 44.5 GiB
    ['l4', 256], // 23,570,219,008 B = 22.0 GiB
    ['a10g', 256], // 22,587 MiB = 22.1 GiB
  ] as const)('%s → %i', (gpu, seqs) => {
    expect(vllmDefaultMaxNumSeqs(gpu)).toBe(seqs);
  });

  test('unknown device: vLLM falls back to the small defaults', () => {
    expect(vllmDefaultMaxNumSeqs(undefined)).toBe(256);
    expect(70 * GIB).toBe(75_161_927_680); // the threshold in bytes, for reading the table above
  });
});

describe('batchCap', () => {
  test('vLLM: the KV capacity wins when it is above the default (every request fits at full context)', () => {
    const cap = batchCap({ engine: 'vllm', gpu: 'l4', concurrency: 4, kvMaxConcurrency: 300, contextTokens: 2048 });
    expect(cap.value).toBe(300);
    expect(cap.decision.reason).toMatch(/every request fits at full context/);
  });

  test('vLLM: the default wins above the capacity, and the reason says what vLLM does past it', () => {
    const cap = batchCap({ engine: 'vllm', gpu: 'h200', concurrency: 1, kvMaxConcurrency: 20, contextTokens: 32768 });
    expect(cap.value).toBe(1024);
    expect(cap.decision.field).toBe('serving.maxNumSeqs');
    expect(cap.decision.reason).toMatch(/queues.*preempts/);
    expect(cap.decision.reason).toContain('20 (requests the KV pool holds at 32768 tokens)');
  });

  test('property: the vLLM cap is ≥ the KV capacity, ≥ concurrency and ≥ the engine default', () => {
    fc.assert(
      fc.property(fc.constantFrom<GpuId>(...GPU_IDS), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (gpu, concurrency, kv) => {
        const { value } = batchCap({ engine: 'vllm', gpu, concurrency, kvMaxConcurrency: kv, contextTokens: 8192 });
        expect(value).toBeGreaterThanOrEqual(kv);
        expect(value).toBeGreaterThanOrEqual(concurrency);
        expect(value).toBeGreaterThanOrEqual(vllmDefaultMaxNumSeqs(gpu));
        expect(value).toBe(Math.max(kv, concurrency, vllmDefaultMaxNumSeqs(gpu)));
      }),
    );
  });

  test('SGLang: no --max-running-requests; the decision says why', () => {
    const cap = batchCap({ engine: 'sglang', gpu: 'h200', concurrency: 2, kvMaxConcurrency: 43, contextTokens: 32768 });
    expect(cap.value).toBeUndefined();
    expect(cap.decision.reason).toMatch(/left unset.*43 request/);
    expect(tokens(renderLaunch(launchInput({ engine: 'sglang', kvMaxConcurrency: 43 })).command)).not.toContain('--max-running-requests');
  });

  test('llama.cpp: slots are the sized concurrency (preallocated KV)', () => {
    expect(batchCap({ engine: 'llamacpp', concurrency: 3, contextTokens: 4096 }).value).toBe(3);
  });
});

/** The value after a flag in an argv, reading flags inside `sh -c` scripts too. */
function flagValue(argv: readonly string[], flag: string): number | undefined {
  const t = tokens(argv);
  const i = t.indexOf(flag);
  return i < 0 ? undefined : Number(t[i + 1]);
}

describe('no rendered command caps the batch below memory.maxConcurrency', () => {
  // The report: R1 on H200 rendered --max-num-seqs 1 while the KV pool held 20 requests.
  test.each([
    [{ model: 'deepseek-r1', gpus: ['h200'] }],
    [{ model: 'deepseek-r1', gpus: ['h200'], engine: 'sglang' }],
    [{ model: 'deepseek-r1', precision: 'fp8', instanceType: 'p5.48xlarge', nodes: 2 }],
    [{ model: 'deepseek-r1-distill-qwen-1.5b', contextTokens: 2048 }],
    [{ model: 'deepseek-r1-distill-qwen-7b', gpus: ['l4'], contextTokens: 4096, concurrency: 2 }],
    [{ model: 'deepseek-v2-lite', gpus: ['a100-80gb'], contextTokens: 4096 }],
    [{ model: 'deepseek-r1-distill-llama-70b' }],
    [{ model: 'deepseek-v3', precision: 'bf16' }],
  ])('%j', (spec) => {
    const plan = planDeployment(spec);
    const cap = flagValue(plan.serving.command, plan.engine === 'vllm' ? '--max-num-seqs' : '--max-running-requests');
    // SGLang leaves the cap to the engine (≥ 2048 slots); vLLM must render one at or above the capacity.
    // --max-num-seqs applies to each data-parallel engine core (each DP rank schedules its own requests),
    // so N ranks admit N × the cap.
    if (plan.engine === 'vllm') expect(cap! * plan.topology.dataParallelSize * plan.topology.replicas).toBeGreaterThanOrEqual(plan.memory.maxConcurrency);
    else expect(cap).toBeUndefined();
    expect(plan.decisions.some((d) => d.field === 'serving.maxNumSeqs' || d.field === 'serving.maxRunningRequests')).toBe(true);
  });
});
