/**
 * Plan notices: real plans raise the registry code their situation calls for (lib/notices.ts), every
 * notice's severity is the registry's, `warnings` is `notices` without the codes, and the code does not
 * follow the message text. Each row says why the plan must raise its code; the code is the registry's
 * meaning (README.md "Notice codes"), never read back from the planner.
 */
import fc from 'fast-check';
import { NOTICES, NOTICE_DEFINITIONS, notice, type NoticeCode } from '../../lib/notices';
import { planDeployment } from '../../lib/plan/planner';
import type { Plan } from '../../lib/plan/types';

const codes = (p: Plan) => p.notices.map((n) => n.code);

const CASES: readonly [string, Record<string, unknown>, NoticeCode][] = [
  // Published context 131,072 (DeepSeek-V3 README); config max_position_embeddings 163,840: allowed, not validated.
  ['V3 at 163,840 tokens, above its published 128K context', { model: 'deepseek-v3', contextTokens: 163_840 }, 'DSIAC-PLAN1'],
  // A GPU described on the command line, not a catalog row: its bandwidth and link are assumed.
  ['a described 48 GiB local GPU', { model: 'deepseek-r1-distill-qwen-7b', target: 'local', localHosts: [{ gpu: 'custom', gpuCount: 1, customGpu: { memoryGiB: 48 } }] }, 'DSIAC-PLAN2'],
  // The host entry gives neither diskGB nor memoryGiB: both are assumed.
  ['a local 8 × H100 host without disk or RAM given', { model: 'deepseek-r1-distill-qwen-7b', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 8 }] }, 'DSIAC-PLAN3'],
  // MLA keeps one latent KV head: at TP 8 each rank holds the whole cache.
  ['R1 on 8 × H200 at TP 8 (MLA)', { model: 'deepseek-r1', gpus: ['h200'], dataParallelSize: 1 }, 'DSIAC-PLAN4'],
  // A100 has no FP8 tensor cores: FP8 runs weight-only through Marlin (vLLM FP8 docs).
  ['a dense distill in fp8 on A100', { model: 'deepseek-r1-distill-qwen-7b', precision: 'fp8', gpus: ['a100-80gb'] }, 'DSIAC-PLAN5'],
  // H200 (Hopper) has no FP4 tensor cores: V4's MXFP4 experts run weight-only.
  ['V4-Flash as released (fp4) on H200', { model: 'deepseek-v4-flash', gpus: ['h200'] }, 'DSIAC-PLAN5'],
  // vLLM's quantization table lists INT8 W8A8 up to Hopper; B200 is Blackwell.
  ['int8 on B200', { model: 'deepseek-r1-distill-qwen-7b', precision: 'int8', gpus: ['b200'] }, 'DSIAC-PLAN6'],
  // GB200 NVL72 types are sold only as Capacity Blocks (capacityBlocks opts in), with no on-demand price.
  ['R1 on GB200 with capacityBlocks', { model: 'deepseek-r1', gpus: ['gb200'], capacityBlocks: true }, 'DSIAC-PLAN8'],
  ['R1 on GB200 with capacityBlocks (unpriced)', { model: 'deepseek-r1', gpus: ['gb200'], capacityBlocks: true }, 'DSIAC-PLAN9'],
  // A local host has no catalog price.
  ['a local host (unpriced)', { model: 'deepseek-r1-distill-qwen-7b', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 8 }] }, 'DSIAC-PLAN9'],
  // The ND H200 v5 row has no price in the catalog (test/catalog/azure-h200.test.ts).
  ['R1 on Azure H200 (unpriced)', { model: 'deepseek-r1', precision: 'fp8', target: 'azure', gpus: ['h200'] }, 'DSIAC-PLAN9'],
  // DeepSeek-R1 README: the distills were trained with a 32,768-token maximum generation length.
  ['a distill at 65,536 tokens', { model: 'deepseek-r1-distill-qwen-7b', contextTokens: 65_536 }, 'DSIAC-PLAN10'],
  ['an fp8 KV cache', { model: 'deepseek-r1-distill-qwen-1.5b', kvCacheDtype: 'fp8' }, 'DSIAC-PLAN11'],
  ['int4 (AWQ/GPTQ checkpoint)', { model: 'deepseek-r1-distill-qwen-7b', precision: 'int4' }, 'DSIAC-PLAN12'],
  // L4 shows ~22 GiB: 5% of it (1.1 GiB) is left outside mem-fraction-static 0.95, under the 2 GiB floor.
  ['SGLang at mem-fraction-static 0.95 on L4', { model: 'deepseek-r1-distill-qwen-1.5b', engine: 'sglang', gpuMemoryUtilization: 0.95, gpus: ['l4'] }, 'DSIAC-PLAN13'],
  // V4.1 needs vLLM ≥ 0.30.0; the only EFA image pinned runs 0.27.0 (lib/serving/profiles).
  ['V4.1-Flash over two H100 nodes (EFA)', { model: 'deepseek-v4.1-flash', gpus: ['h100'], nodes: 2 }, 'DSIAC-SRV1'],
  // The vLLM memory constants were fitted on 0.19.0 logs; the pinned image runs a later release.
  ['any vLLM plan', { model: 'deepseek-r1-distill-qwen-1.5b' }, 'DSIAC-SRV2'],
  // V4 is released with MXFP4 experts; fp8 needs a re-quantized checkpoint.
  ['V4-Flash at fp8', { model: 'deepseek-v4-flash', precision: 'fp8', gpus: ['h200'] }, 'DSIAC-SRV3'],
  // vLLM's V4 recipe runs --kv-cache-dtype fp8; the plan asks bf16.
  ['V4-Flash with a bf16 KV cache on B200', { model: 'deepseek-v4-flash', gpus: ['b200'], kvCacheDtype: 'bf16' }, 'DSIAC-SRV4'],
];

const CPU_HOST = { ramGiB: 1024, memoryBandwidthGBps: 600, cores: 64, sockets: 2 };
const CPU_CASES: readonly [string, Record<string, unknown>, NoticeCode][] = [
  ['every CPU plan (decode is a range)', { model: 'deepseek-r1', target: 'cpu', cpuHost: CPU_HOST }, 'DSIAC-PLAN14'],
  ['two sockets', { model: 'deepseek-r1', target: 'cpu', cpuHost: CPU_HOST }, 'DSIAC-PLAN15'],
  // R1 is MLA: the KV size assumes a GGUF converted with llama.cpp's MLA support.
  ['R1 (MLA) on llama.cpp', { model: 'deepseek-r1', target: 'cpu', cpuHost: CPU_HOST }, 'DSIAC-PLAN16'],
  ['no ggufFile given', { model: 'deepseek-r1', target: 'cpu', cpuHost: CPU_HOST }, 'DSIAC-PLAN17'],
];

describe('real plans raise the code their situation calls for', () => {
  test.each([...CASES, ...CPU_CASES].map(([name, spec, code]) => [name, code, spec] as const))('%s → %s', (_name, code, spec) => {
    const plan = planDeployment(spec);
    expect(codes(plan)).toContain(code);
  });

  test('a plan with nothing to say raises no plan-layer code', () => {
    // A 1.5B distill at its default context on the cheapest GPU: priced, bf16, one GPU, nothing assumed.
    expect(codes(planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b' })).filter((c) => c.startsWith('DSIAC-PLAN'))).toEqual([]);
  });

  test('the opposite conditions do not raise them', () => {
    expect(codes(planDeployment({ model: 'deepseek-r1-distill-qwen-7b', contextTokens: 32_768 }))).not.toContain('DSIAC-PLAN10');
    expect(codes(planDeployment({ model: 'deepseek-r1-distill-qwen-1.5b', kvCacheDtype: 'bf16' }))).not.toContain('DSIAC-PLAN11');
    const oneSocketWithFile = codes(planDeployment({ model: 'deepseek-r1', target: 'cpu', cpuHost: { ...CPU_HOST, sockets: 1 }, ggufFile: 'DeepSeek-R1-Q4_K_M.gguf' }));
    expect(oneSocketWithFile).not.toContain('DSIAC-PLAN15');
    expect(oneSocketWithFile).not.toContain('DSIAC-PLAN17');
  });
});

describe('notices and warnings', () => {
  const plans = [...CASES, ...CPU_CASES].map(([, spec]) => planDeployment(spec));

  test('warnings are the notices\' messages, in order', () => {
    for (const p of plans) expect(p.warnings).toEqual(p.notices.map((n) => n.message));
  });

  test('every notice carries its registry severity', () => {
    for (const p of plans) for (const n of p.notices) expect(n.severity).toBe(NOTICES[n.code].severity);
  });

  test('plans raise only plan- and serving-layer codes', () => {
    for (const p of plans) for (const n of p.notices) expect(NOTICES[n.code].layer === 'plan' || NOTICES[n.code].layer === 'serving').toBe(true);
  });
});

describe('the code does not follow the message', () => {
  test('different messages of one situation share one code', () => {
    // Two contexts above V3's published 128K: the messages name the context, the code stays.
    const a = planDeployment({ model: 'deepseek-v3', contextTokens: 140_000 }).notices.find((n) => n.code === 'DSIAC-PLAN1')!;
    const b = planDeployment({ model: 'deepseek-v3', contextTokens: 163_840 }).notices.find((n) => n.code === 'DSIAC-PLAN1')!;
    expect(a.message).not.toBe(b.message);
    // The GPU planner and the CPU planner word the same situation differently, under the same code (V2-Lite: published 32K, README).
    const cpu = planDeployment({ model: 'deepseek-v2-lite', target: 'cpu', contextTokens: 65_536, cpuHost: CPU_HOST }).notices.find((n) => n.code === 'DSIAC-PLAN1');
    expect(cpu?.message).toMatch(/above .*published context/);
  });

  test('notice() keeps the code and the registry severity for any wording', () => {
    const registered = NOTICE_DEFINITIONS.map((d) => d.code);
    fc.assert(fc.property(fc.constantFrom(...registered), fc.string(), (code, message) => {
      const n = notice(code, message);
      expect(n).toEqual({ code, severity: NOTICES[code].severity, message });
    }));
  });
});
