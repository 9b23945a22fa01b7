import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseHfConfig } from '../../lib/catalog/hf-config';
import { CATALOG, MODELS, resolveModel } from '../../lib/catalog/models';
import { isPlanError } from '../../lib/errors';
import { GPUS } from '../../lib/catalog/gpus';
import { enumerateCandidates } from '../../lib/plan/candidates';
import { planDeployment } from '../../lib/plan/planner';
import { resolveRequest } from '../../lib/plan/resolve';
import { precisionSupport } from '../../lib/plan/precision-support';
import { attentionKind, kvBytesPerRequest, kvBytesPerToken, kvBytesPerTokenPerLayer, kvGroups } from '../../lib/sizing/kv-cache';
import { countParams } from '../../lib/sizing/params';
import { checkpointFor } from '../../lib/sizing/storage';
import { checkpointBytes, engramBytes, weightBytes } from '../../lib/sizing/weights';
import type { Issue, ResolvedKvCacheDtype } from '../../lib/types';
import { runCli } from '../bin/run-cli';

// Published figures and byte counts: docs/deepseek-2026-models.md (each with its public URL).
const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'hf-configs');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const pct = (value: number, published: number) => (Math.abs(value - published) / published) * 100;

describe('parameter counts against the published totals (docs/deepseek-2026-models.md §2)', () => {
  test.each([
    // id, published total, published activated, tolerance on activated (%)
    ['deepseek-v3.2', 671e9, 37e9, 2], // model card: 671B / 37B
    ['deepseek-v3.2-exp', 671e9, 37e9, 2],
    ['deepseek-v4-pro', 1.6e12, 49e9, 2], // model card: 1.6T / 49B
    ['deepseek-v4-pro-0813', 1.6e12, 49e9, 2],
    // 284B / 13B: "13B" has two significant digits (12.5–13.5B); the count (13.27B: top-6 of 256 experts,
    // shared expert, attention with compressors and indexers, head) lies 2.1% above it.
    ['deepseek-v4-flash', 284e9, 13e9, 2.5],
    ['deepseek-v4-flash-0731', 284e9, 13e9, 2.5],
  ] as const)('%s: total within 2%% of %d, activated near %d (tolerance %d%%)', (id, total, active, activeTolPct) => {
    const p = countParams(resolveModel(id));
    expect(pct(p.total, total)).toBeLessThan(2);
    expect(pct(p.active, active)).toBeLessThan(activeTolPct);
    expect(Math.round(p.active / 1e9)).toBe(active / 1e9);
    expect(p.memoryParams).toBe(0);
  });

  test('V4.1-Flash: 552B backbone within 2% and 196.6B Engram (2 tables: (384,006,168 + 384,016,682) rows × 256 = 196,613,849,600)', () => {
    const p = countParams(resolveModel('deepseek-v4.1-flash'));
    expect(pct(p.total, 552e9)).toBeLessThan(2);
    expect(p.memoryParams).toBe((384_006_168 + 384_016_682) * 256);
    expect(pct(p.memoryParams, 196.6e9)).toBeLessThan(2);
    // "16B active per output token": top-6 of 384 experts, the shared expert, attention, the head.
    expect(pct(p.active, 16e9)).toBeLessThan(2);
  });

  test('V4.1 DSpark stages carry 128 experts each: draft experts = 3 × 128 × 3 × 5120 × 2304 = 13.59B (recipe: 557.2B routed + draft − 40 × 384 × 3 × 5120 × 2304 = 13.6B)', () => {
    const arch = resolveModel('deepseek-v4.1-flash');
    const perStageExperts = 128 * 3 * 5120 * 2304;
    expect(countParams(arch).mtpUnique).toBeGreaterThan(3 * perStageExperts);
    expect(countParams(arch).mtpUnique).toBeLessThan(3 * perStageExperts * 1.05);
  });

  test('R1-0528-Qwen3-8B counts as its base Qwen3-8B (fixture config), within 1% of the Qwen3-8B card (8.2B)', () => {
    const catalog = countParams(resolveModel('deepseek-r1-0528-qwen3-8b')).total;
    const qwen3 = countParams(parseHfConfig(fixture('qwen3-8b.json'))).total; // same dims, the base model's config
    expect(catalog).toBe(qwen3);
    expect(pct(catalog, 8.19e9)).toBeLessThan(1); // Qwen3-8B model card: 8.2B
  });
});

describe('checkpoint bytes against the published byte counts (docs/deepseek-2026-models.md §2)', () => {
  test.each([
    ['deepseek-v4-flash', 159_609_485_896], // HF index total_size (148.66 GiB)
    ['deepseek-v4-flash-0731', 166_878_536_440], // 48 shards, HF revision 7872f01b
    ['deepseek-v4-pro-0813', 892_727_580_904], // 66 shards, HF revision 72e1d323
    ['deepseek-v4.1-flash', 510_286_023_000], // 48 shards, HF revision dba1be0a
    ['deepseek-v4-pro', 865e9], // "~865 GB", 64 shards
  ] as const)('%s: within 2%% of %d B', (id, bytes) => {
    expect(pct(checkpointBytes(resolveModel(id)), bytes)).toBeLessThan(2);
  });

  test('V4.1 Engram tables: FP8 with one ue8m0 byte per 32 values = 196.61e9 × 33 / 32 B (recipe: 183.1 GiB of FP8 values + their scales)', () => {
    const arch = resolveModel('deepseek-v4.1-flash');
    const values = (384_006_168 + 384_016_682) * 256;
    expect(engramBytes(arch, 'fp4')).toBe(Math.round(values + values / 32));
    expect(pct(values / 2 ** 30, 183.1)).toBeLessThan(0.1);
    // GPU-resident weights keep them (no upstream engine offloads Engram to host memory).
    expect(weightBytes(arch, 'fp4')).toBeGreaterThan(engramBytes(arch, 'fp4'));
  });

  test.each([
    ['deepseek-v4-flash', 'fp4', 'released'],
    ['deepseek-v4-flash', 'fp8', 'pre-quantized'], // an FP8 re-quantization (sgl-project/DeepSeek-V4-Flash-FP8)
    ['deepseek-v4-flash', 'bf16', 'bf16-conversion'],
    ['deepseek-v3.2', 'fp8', 'released'],
    ['deepseek-v3.2', 'fp4', 'pre-quantized'], // an NVFP4 checkpoint (NVIDIA publishes them for V3.x)
  ] as const)('%s at %s stores the %s checkpoint', (id, precision, kind) => {
    const arch = resolveModel(id);
    const c = checkpointFor(arch, precision);
    expect(c.kind).toBe(kind);
    if (kind === 'released') expect(c.bytes).toBe(checkpointBytes(arch));
  });

  test('fp4 as released is smaller than an FP8 re-quantization and larger than a pure 4-bit model would be', () => {
    const arch = resolveModel('deepseek-v4-flash');
    const p = countParams(arch);
    expect(weightBytes(arch, 'fp4')).toBeLessThan(weightBytes(arch, 'fp8'));
    expect(weightBytes(arch, 'fp4')).toBeGreaterThan(p.total / 2);
  });
});

describe('KV bytes per token at --kv-cache-dtype fp8 (docs/deepseek-2026-models.md §3)', () => {
  test.each([
    // V3.2, vLLM fp8_ds_mla: (656 + 132) × 61 = 48,068 B (derived from the layout)
    ['deepseek-v3.2', 48_068, 3],
    ['deepseek-v3.2-speciale', 48_068, 3],
    // V4: vLLM pages per 256 tokens, padded to 576 B: Flash 21 × (37,440 + 8,640) / 256 + 20 × 1,728 / 256 = 3,915
    ['deepseek-v4-flash', 3_915, 15],
    ['deepseek-v4-flash-0731', 3_915, 15],
    // Pro 30 × 180 + 31 × 6.75 = 5,609 B
    ['deepseek-v4-pro', 5_609, 15],
  ] as const)('%s: within tolerance of %d B/token (%d%%)', (id, bytes, tolPct) => {
    expect(pct(kvBytesPerToken(resolveModel(id), 'fp8'), bytes)).toBeLessThan(tolPct);
  });

  test('DeepSeek: V4-Pro needs about 10% of V3.2\'s KV at 1M tokens — 5,609 / 48,068 = 11.7% of the per-token slope at fp8', () => {
    const ratio = kvBytesPerToken(resolveModel('deepseek-v4-pro'), 'fp8') / kvBytesPerToken(resolveModel('deepseek-v3.2'), 'fp8');
    expect(ratio).toBeGreaterThan(0.08);
    expect(ratio).toBeLessThan(0.14);
  });

  test('V3.2 bf16 keeps the fp8 indexer key: 61 × (576 × 2 + 132) = 78,324 B; SGLang fp8: 61 × (576 + 132) = 43,188 B', () => {
    const arch = resolveModel('deepseek-v3.2');
    expect(kvBytesPerToken(arch, 'bf16')).toBe(61 * (576 * 2 + 132));
    expect(kvBytesPerToken(arch, 'fp8', 'sglang')).toBe(61 * (576 + 132));
  });

  test('V4.1 caches compressed KV in its 4 KV source layers only; the other 36 layers hold a window', () => {
    const groups = kvGroups(resolveModel('deepseek-v4.1-flash'), { dtype: 'fp8', maxModelLenTokens: 65536 });
    const withSlope = groups.filter((g) => g.bytesPerToken > 0);
    expect(withSlope.reduce((n, g) => n + g.layers, 0)).toBe(4);
  });

  test('V4 per-request constant: 128-token window on all 43 layers at least (43 × 128 × 584 B); none for V3.2', () => {
    const flash = resolveModel('deepseek-v4-flash');
    const exact = kvBytesPerRequest(flash, { dtype: 'fp8', engine: 'sglang' });
    expect(exact).toBeGreaterThanOrEqual(43 * 128 * 584);
    // vLLM reserves each window for the window + one step's batched tokens: more than the exact window.
    expect(kvBytesPerRequest(flash, { dtype: 'fp8', engine: 'vllm', maxModelLenTokens: 65536 })).toBeGreaterThan(exact);
    expect(kvBytesPerRequest(resolveModel('deepseek-v3.2'), { dtype: 'fp8' })).toBe(0);
  });
});

describe('strategy properties over the whole catalog', () => {
  const dtypes: ResolvedKvCacheDtype[] = ['bf16', 'fp16', 'fp8'];
  const latentKinds = new Set(['mla', 'dsa', 'hybrid']);

  test('per-layer-group KV sums to kvCacheBytesPerToken (and the per-request constant) for every model and dtype', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.constantFrom(...dtypes), fc.integer({ min: 1, max: 1_048_576 }), (arch, dtype, len) => {
        const ctx = { dtype, maxModelLenTokens: len };
        const groups = kvGroups(arch, ctx);
        expect(groups.reduce((n, g) => n + g.layers, 0)).toBe(arch.numLayers);
        expect(groups.reduce((n, g) => n + g.bytesPerToken, 0)).toBeCloseTo(kvBytesPerToken(arch, dtype), 6);
        expect(groups.reduce((n, g) => n + g.bytesPerRequest, 0)).toBeCloseTo(kvBytesPerRequest(arch, ctx), 6);
      }),
    );
  });

  test('a single latent head never shrinks with TP; per-head KV never grows with TP', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.constantFrom(...dtypes), fc.integer({ min: 1, max: 32 }), (arch, dtype, tp) => {
        for (let layer = 0; layer < arch.numLayers; layer += 7) {
          const one = kvBytesPerTokenPerLayer(arch, dtype, 1, layer);
          const split = kvBytesPerTokenPerLayer(arch, dtype, tp, layer);
          if (latentKinds.has(attentionKind(arch))) expect(split).toBe(one);
          else expect(split).toBeLessThanOrEqual(one);
        }
      }),
    );
  });

  test.each(CATALOG.filter((e) => e.model.hfId?.includes('V4') || e.model.hfId?.includes('V3.2')).map((e) => [e.model.id, e.model] as const))(
    '%s names its attention kind and its draft',
    (_id, arch) => {
      expect(['dsa', 'hybrid']).toContain(attentionKind(arch));
      expect(arch.speculativeDraft?.layers).toBeGreaterThan(0);
    },
  );
});

describe('plans of the new models', () => {
  test('V4-Flash plans at its released fp4 with both KV terms and a plan-level per-request constant', () => {
    const plan = planDeployment({ model: 'deepseek-v4-flash', kvCacheDtype: 'fp8', gpus: ['b200'] });
    expect(plan.precision.weights).toBe('fp4');
    expect(plan.model.attention).toBe('hybrid');
    expect(plan.memory.kvCacheBytesPerToken).toBe(kvBytesPerToken(resolveModel('deepseek-v4-flash'), 'fp8'));
    expect(plan.memory.kvCacheBytesPerRequest).toBeGreaterThan(0);
    expect(plan.decisions.find((d) => d.field === 'memory.kvTokenCapacity')?.reason).toMatch(/vLLM's hybrid KV groups/);
  });

  test('a context above the published 128K but within max_position_embeddings (163,840) plans with a warning', () => {
    const plan = planDeployment({ model: 'deepseek-v3.2', contextTokens: 150_000, kvCacheDtype: 'fp8' });
    expect(plan.workload.contextTokens).toBe(150_000);
    expect(plan.warnings.some((w) => /above deepseek-v3.2's published context of 131072/.test(w))).toBe(true);
  });

  test('V4.1 plans with its Engram placement decided and reported apart', () => {
    const plan = planDeployment({ model: 'deepseek-v4.1-flash', kvCacheDtype: 'fp8' });
    expect(plan.model.memoryParams).toBe((384_006_168 + 384_016_682) * 256);
    expect(plan.decisions.find((d) => d.field === 'memory.engramPlacement')?.value).toBe('gpu');
  });
});

describe('documented deployments (shared facts §4, copied to docs/deepseek-2026-models.md)', () => {
  const fits = (spec: Record<string, unknown>) => planDeployment({ kvCacheDtype: 'fp8', nodes: 1, ...spec }).topology;

  test('V3.2 fits one 8×H200 node (vLLM recipe: 8×H200, -tp 8)', () => {
    expect(fits({ model: 'deepseek-v3.2', gpus: ['h200'] }).gpusPerNode).toBe(8);
  });

  test('V4-Pro fits one 8×H200 node with the recipe\'s Hopper overrides (--max-model-len 200000 --gpu-memory-utilization 0.95)', () => {
    expect(fits({ model: 'deepseek-v4-pro', gpus: ['h200'], contextTokens: 200_000, gpuMemoryUtilization: 0.95 }).instanceType).toBe('p5en.48xlarge');
  });

  test('V4-Pro does not fit one 8×H100 node (AWS ran it TP16 over two p5.48xlarge)', () => {
    expect(() => fits({ model: 'deepseek-v4-pro', gpus: ['h100'] })).toThrow(/does not|no option/);
  });

  test('V4.1-Flash fits one 8×H200 node (vLLM recipe)', () => {
    expect(fits({ model: 'deepseek-v4.1-flash', gpus: ['h200'] }).instanceType).toBe('p5en.48xlarge');
  });

  test('V4-Flash on MI300X: the released FP4 is refused; FP8 (SGLang runs Flash FP8 on MI300X at TP8) fits one node', () => {
    expect(() => fits({ model: 'deepseek-v4-flash', target: 'azure', gpus: ['mi300x'] })).toThrow(/FP4 weights do not run on AMD Instinct MI300X/);
    expect(fits({ model: 'deepseek-v4-flash', target: 'azure', gpus: ['mi300x'], precision: 'fp8', engine: 'sglang' }).tensorParallelSize).toBe(8);
  });
});

describe('fp4 on GPUs (docs/deepseek-2026-models.md §4, §6)', () => {
  test.each([
    ['b200', true, false], // Blackwell: FP4 tensor cores
    ['h200', true, true], // Hopper: weight-only Marlin, with a warning
    ['a100-80gb', true, true],
    ['mi300x', false, false], // CDNA3: no FP4; vLLM's V4 recipe does not support MI300X
  ] as const)('%s: supported %s, warned %s', (gpu, supported, warned) => {
    const s = precisionSupport(GPUS[gpu], 'fp4', 'vllm', resolveModel('deepseek-v4-flash'));
    expect(s.supported).toBe(supported);
    expect(s.warning !== undefined).toBe(warned);
  });

  test('V4-Pro at SGLang TP16 over two nodes keeps whole MXFP4 groups (3072 / 16 = 192 = 6 × 32), as AWS ran it', () => {
    expect(planDeployment({ model: 'deepseek-v4-pro', engine: 'sglang', gpus: ['h100'], nodes: 2, maxNodes: 2 }).topology.tensorParallelSize).toBe(16);
  });

  test('an expert width whose TP shard breaks a 32-wide MXFP4 group is refused: 2080 / 8 = 260 = 8.125 × 32', () => {
    const req = resolveRequest({ hfConfig: { ...fixture('deepseek-v4-flash.json'), moe_intermediate_size: 2080 }, gpus: ['h200'], tensorParallelSize: 8 });
    const rejections = enumerateCandidates(req).flatMap((c) => c.rejections);
    expect(rejections.some((r) => /260-wide shards, not a multiple of MXFP4's 32-wide scale group/.test(r))).toBe(true);
    // The unmodified width (2048 / 8 = 256 = 8 × 32) passes the same rule.
    const ok = resolveRequest({ hfConfig: fixture('deepseek-v4-flash.json'), gpus: ['h200'], tensorParallelSize: 8 });
    expect(enumerateCandidates(ok).flatMap((c) => c.rejections).some((r) => /MXFP4/.test(r))).toBe(false);
  });
});

describe('bad V4 configs name the field', () => {
  const issues = (cfg: unknown): readonly Issue[] => {
    try {
      parseHfConfig(cfg);
    } catch (e) {
      if (isPlanError(e)) return e.issues;
      throw e;
    }
    throw new Error('expected a PlanError');
  };
  const v4 = fixture('deepseek-v4-flash.json');
  const ratios = v4['compress_ratios'] as number[];

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an unknown compression ratio', { compress_ratios: [0, 3, ...ratios.slice(2)] }, 'hfConfig.compress_ratios', /entry 1 is 3: unknown attention layout/],
    ['fewer ratios than layers', { compress_ratios: ratios.slice(0, 40) }, 'hfConfig.compress_ratios', /has 40 entries for num_hidden_layers 43/],
    ['draft entries disagreeing with num_nextn_predict_layers', { compress_ratios: [...ratios, 0] }, 'hfConfig.compress_ratios', /2 entries past num_hidden_layers 43 .* num_nextn_predict_layers is 1/],
    ['a KV source on a window-only layer', { kv_source_layer_ids: [0] }, 'hfConfig.kv_source_layer_ids', /layer 0 has compress_ratios 0/],
    ['two KV heads', { num_key_value_heads: 2 }, 'hfConfig.num_key_value_heads', /must be 1 for DeepSeek-V4 hybrid attention/],
    ['an unknown expert dtype', { expert_dtype: 'int2' }, 'hfConfig.expert_dtype', /must be "fp4"/],
  ])('%s', (_name, patch, path, message) => {
    const found = issues({ ...v4, ...patch });
    expect(found.map((i) => i.path)).toContain(path);
    expect(found.find((i) => i.path === path)?.message).toMatch(message);
  });

  test('V4.1: its text_config alone (model_type deepseek_v41_text, quantization folded in) sizes like the nested file', () => {
    const v41 = fixture('deepseek-v4.1-flash.json');
    const flat = { ...(v41['text_config'] as Record<string, unknown>), dtype: v41['dtype'], quantization_config: v41['quantization_config'] };
    expect(countParams(parseHfConfig(flat)).total).toBe(countParams(parseHfConfig(v41)).total);
    expect(checkpointBytes(parseHfConfig(flat))).toBe(checkpointBytes(parseHfConfig(v41)));
  });

  test('V4.1: a problem inside text_config is named with its nesting', () => {
    const v41 = fixture('deepseek-v4.1-flash.json');
    const text = v41['text_config'] as Record<string, unknown>;
    const found = issues({ ...v41, text_config: { ...text, engram_num_embeddings: [384006168] } });
    expect(found[0]).toEqual({ path: 'hfConfig.text_config.engram_num_embeddings', message: 'must have one entry per engram_layer_ids entry (2), got 1' });
  });

  test('the CLI exits 2 with one error line naming the field, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsv4-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ ...v4, compress_ratios: [0, 3, ...ratios.slice(2)] }));
    // In process (test/bin/run-cli.ts); the process boundary itself is covered once in test/bin/cli.test.ts.
    const r = runCli('plan', '--hf-config', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: --hf-config.*compress_ratios.*entry 1 is 3: unknown attention layout/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
