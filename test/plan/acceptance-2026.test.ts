import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { articleTable, gpusJson, instancesJson, modelsJson, modelsTable } from '../../bin/cli/catalog-views';
import { ARTICLE_ROWS } from '../../lib/report/article-table';
import { resolveModel } from '../../lib/catalog/models';
import { planDeployment } from '../../lib/plan/planner';
import { kvBytesPerToken } from '../../lib/sizing/kv-cache';
import { countParams } from '../../lib/sizing/params';

/*
 * The acceptance items issues 10 (2026 models) and 12 (2026 hardware) share, checked together.
 * Published figures: docs/deepseek-2026-models.md (configs, parameter counts, KV layouts, each with its URL).
 */
const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pct = (value: number, published: number) => (Math.abs(value - published) / published) * 100;

/** Backticked names outside parentheses; `{ a, b }` lists its members. */
function fieldNames(text: string): string[] {
  let body = text;
  while (/\([^()]*\)/.test(body)) body = body.replace(/\([^()]*\)/g, '');
  body = body.split(/;\s*/)[0]; // prose after the list ("; `gpu` is `custom` for …")
  const braces = /`\{\s*([^}]*)\}`/.exec(body);
  return braces ? braces[1].split(',').map((f) => f.trim()) : [...body.matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1]);
}

/** The README's `plan --json` contract: top-level key → the fields it lists ([] for a scalar). */
function planContract(): Map<string, string[]> {
  const section = README.split('### `plan --json` contract (stable)')[1].split('\n### ')[0];
  const out = new Map<string, string[]>();
  for (const line of section.split('\n').filter((l) => l.startsWith('- `'))) {
    // "`decisions[]`: …; `warnings[]`: strings" holds two keys; a later "; `gpu` is …" is prose.
    for (const part of line.slice(2).split(/;\s*(?=`[A-Za-z]+(?:\[\])?`:)/)) {
      const m = /^`([A-Za-z]+)(?:\[\])?`:\s*(.*)$/.exec(part.trim());
      if (m) out.set(m[1], fieldNames(m[2]));
    }
  }
  return out;
}

/** The README sentence "`X --json` lists … ." → its fields. */
function listContract(command: string): string[] {
  const start = README.indexOf(`\`${command} --json\` lists`);
  const sentence = README.slice(start).split(/\.\s/)[0];
  return fieldNames(sentence.slice(sentence.indexOf('lists') + 5));
}

const keysOf = (objects: readonly unknown[]) => new Set(objects.flatMap((o) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : [])));

describe('the README JSON contracts equal what the CLI prints (issue 10 §7)', () => {
  // What `plan --json` prints: JSON.stringify of the plan (undefined fields dropped). Four V4 plans cover the optional
  // fields: DSpark draft (0731), multiNode (SGLang TP16 over two H100 nodes), ENTRYPOINT override (ROCm image), Engram.
  const plans = [
    planDeployment({ model: 'deepseek-v4-flash-0731' }),
    planDeployment({ model: 'deepseek-v4-pro', engine: 'sglang', gpus: ['h100'], nodes: 2, maxNodes: 2 }),
    planDeployment({ model: 'deepseek-v4-pro', target: 'local', localHosts: [{ gpu: 'mi355x', gpuCount: 8 }] }),
    planDeployment({ model: 'deepseek-v4.1-flash', kvCacheDtype: 'fp8' }),
  ].map((p) => JSON.parse(JSON.stringify(p)) as Record<string, unknown>);
  const contract = planContract();

  test('the top-level keys are the contract\'s, in any V4 plan', () => {
    for (const p of plans) expect(Object.keys(p).sort()).toEqual([...contract.keys()].sort());
  });

  test.each([...planContract().entries()])('plan.%s: the fields listed equal the fields printed', (key, fields) => {
    const values = plans.flatMap((p) => (Array.isArray(p[key]) ? (p[key] as unknown[]) : [p[key]]));
    if (fields.length === 0) {
      expect(values.every((v) => typeof v !== 'object' || v === null)).toBe(true);
      return;
    }
    expect([...keysOf(values)].sort()).toEqual([...fields].sort());
  });

  // V4.1 at fp8: 1,797.75 B/token (a 256-token page's bytes / 256, see below), so the slopes are exempt — and say so.
  test('"byte and parameter counts are integers", the per-token slopes whole bytes per 256-token block', () => {
    expect(README).toMatch(/Byte and parameter counts are integers, except the per-token slopes `kvCacheBytesPerToken` and\s+`kvCacheBytesPerTokenPerGpu`/);
    for (const p of plans) {
      for (const section of ['model', 'memory', 'storage'] as const) {
        for (const [k, v] of Object.entries(p[section] as Record<string, unknown>)) {
          if (!/Bytes|Params/.test(k) || typeof v !== 'number') continue;
          const whole = /PerToken/.test(k) ? Number.isInteger(v * 256) : Number.isInteger(v);
          expect({ [k]: whole }).toEqual({ [k]: true });
        }
      }
    }
  });

  test.each([
    ['models', () => JSON.parse(JSON.stringify(modelsJson())) as unknown[]],
    ['gpus', () => gpusJson()],
    ['instances', () => JSON.parse(JSON.stringify(instancesJson())) as unknown[]],
  ] as const)('%s --json: the README lists exactly the printed keys', (command, rows) => {
    expect([...keysOf(rows())].sort()).toEqual(listContract(command).sort());
  });

  test('the README counts the catalog\'s models', () => {
    expect(README).toMatch(new RegExp(`the catalog: ${modelsJson().length} DeepSeek models`));
  });

  test('models (text) shows the 2026 fields: V4.1\'s 196.6B Engram, V3.2\'s 163,840 positions, the DSpark draft', () => {
    const rows = modelsTable().split('\n');
    const row = (id: string) => rows.find((r) => r.startsWith(`${id} `))!.split(/\s{2,}/);
    const header = rows[0].split(/\s{2,}/);
    const col = (id: string, name: string) => row(id)[header.indexOf(name)];
    // (384,006,168 + 384,016,682) × 256 = 196,613,849,600 → "197B"
    expect(col('deepseek-v4.1-flash', 'engram')).toBe('197B');
    expect(col('deepseek-v3.2', 'max pos')).toBe('163840');
    expect(col('deepseek-v3.2', 'context')).toBe('131072');
    expect(col('deepseek-v4-flash-0731', 'draft')).toBe('dspark × 3');
    expect(col('deepseek-v4-flash', 'draft')).toBe('mtp × 1');
    expect(col('deepseek-r1', 'engram')).toBe('-');
  });
});

// The background article (Ithy, 2025-01-27) has six rows, 1.5B … 671B; its 671B is V3/R1. The 2026 models are not its rows.
describe('table: the article\'s comparison stays the article\'s', () => {
  test('six rows, none of them a 2026 model, and the output points to where those are', () => {
    expect(ARTICLE_ROWS.map((r) => r.label)).toEqual(['1.5B', '7B', '32B', '67B', '70B', '671B']);
    expect(ARTICLE_ROWS.some((r) => /v3\.2|v4/.test(r.modelId))).toBe(false);
    expect(articleTable()).toMatch(/predates DeepSeek-V3\.2, V4 and V4\.1.*`models` lists them/);
  });
});

/*
 * Active parameters of a V4 model from its config (docs/deepseek-2026-models.md §2), counted here by hand, matrix by
 * matrix (vLLM DeepseekV4 / DeepSeek's inference code: wq_a h→q, wq_b q→heads·hd, wkv h→hd, wo_a grouped
 * (heads·hd/og)→og·ol, wo_b og·ol→h; compressors wkv + wgate h→(2 on CSA)·d; indexer wq_b q→64·128,
 * weights_proj h→64; mHC (2+hc)·hc × hc·h twice; experts 3·h·I each). Norms and 1-D vectors (< 0.01%) are left out.
 * The input embedding is a lookup (not active); the head is (DeepSeek's convention: V3 36.6B counted so → "37B").
 */
interface V4Config { h: number; layers: number; heads: number; q: number; og: number; ol: number; topk: number; inter: number; vocab: number; csa: number; hca: number; experts: number }
function v4Active(c: V4Config): { total: number; indexer: number } {
  const hd = 512;
  const attention = c.h * c.q + c.q * c.heads * hd + c.h * hd + ((c.heads * hd) / c.og) * c.og * c.ol + c.og * c.ol * c.h;
  const mhc = 2 * (2 + 4) * 4 * 4 * c.h;
  const moe = (c.topk + 1) * 3 * c.h * c.inter + c.experts * c.h; // top-k routed + 1 shared, router
  const csaCompressor = 2 * (2 * hd * c.h);
  const indexer = c.q * 64 * 128 + c.h * 64 + 2 * (2 * 128 * c.h);
  const hcaCompressor = 2 * (hd * c.h);
  const total = c.layers * (attention + mhc + moe) + c.csa * (csaCompressor + indexer) + c.hca * hcaCompressor + c.vocab * c.h;
  return { total, indexer: c.csa * indexer };
}
const FLASH: V4Config = { h: 4096, layers: 43, heads: 64, q: 1024, og: 8, ol: 1024, topk: 6, inter: 2048, vocab: 129_280, csa: 21, hca: 20, experts: 256 };
const PRO: V4Config = { h: 7168, layers: 61, heads: 128, q: 1536, og: 16, ol: 1024, topk: 6, inter: 3072, vocab: 129_280, csa: 30, hca: 31, experts: 384 };

describe('V4 active parameters against the published 13B / 49B (issue 10 acceptance)', () => {
  test.each([
    ['deepseek-v4-flash', FLASH],
    ['deepseek-v4-pro', PRO],
  ] as const)('%s: the count equals the hand count to 0.05%% (the inventory is complete and nothing is counted twice)', (id, cfg) => {
    expect(pct(countParams(resolveModel(id)).active, v4Active(cfg).total)).toBeLessThan(0.05);
  });

  // Flash by hand: 43 × (106.95M attention + 0.79M mHC + 177.21M MoE) + 21 × 18.91M (CSA compressor + indexer)
  // + 20 × 4.19M (HCA) + 529.5M head = 13.27B: 2.1% above "13B". Pro, counted the same way, is 48.85B: 0.3% under "49B".
  // The published figures have two significant digits; 13.27B rounds to 13B. The one component whose counting is
  // a convention is the lightning indexer: DeepSeek kept "671B" for V3.2, which is V3's 671.03B plus a 0.85B indexer
  // (671.88B) — consistent with totals that leave the indexer out. Without it Flash is 13.05B (+0.4%), Pro 48.35B (−1.3%).
  test('Flash: 13.27B rounds to the published 13B; within 2% of it only without the lightning indexer (0.23B)', () => {
    const count = countParams(resolveModel('deepseek-v4-flash')).active;
    const { indexer } = v4Active(FLASH);
    expect(Math.round(count / 1e9)).toBe(13);
    expect(pct(count, 13e9)).toBeGreaterThan(2); // the gap the acceptance criterion names, stated rather than hidden
    expect(pct(count - indexer, 13e9)).toBeLessThan(2);
    expect(pct(countParams(resolveModel('deepseek-v4-pro')).active - v4Active(PRO).indexer, 49e9)).toBeLessThan(2);
  });

  test('V3.2\'s total minus its indexer is V3\'s 671.03B: the published 671B leaves the indexer out', () => {
    const v32 = countParams(resolveModel('deepseek-v3.2')).total;
    const v3 = countParams(resolveModel('deepseek-v3')).total;
    // V3.2 indexer per layer: wq_b 1536 → 64 × 128, wk 7168 → 128, weights_proj 7168 → 64, k_norm 128 (+ bias 128)
    const indexer = 61 * (1536 * 64 * 128 + 7168 * 128 + 7168 * 64 + 2 * 128);
    expect(pct(v32 - indexer, v3)).toBeLessThan(0.001);
    expect(Math.round((v32 - indexer) / 1e9)).toBe(671);
  });
});

/*
 * V4.1-Flash KV (docs/deepseek-2026-models.md §3): only kv_source_layer_ids [2, 8, 14, 20] store compressed KV;
 * compress_ratios give layers 2, 8, 14 ratio 2 and layer 20 ratio 1, each with an indexer key.
 * fp8 as vLLM pages it (584-B entries, 132-B indexer keys, 256-token blocks, pages padded to 576 B):
 *   ratio 2: ⌈128 × 584 / 576⌉ × 576 = 74,880 B + ⌈128 × 132 / 576⌉ × 576 = 17,280 B → 92,160 / 256 = 360 B/token
 *   ratio 1: ⌈256 × 584 / 576⌉ × 576 = 149,760 B + ⌈256 × 132 / 576⌉ × 576 = 33,984 B → 183,744 / 256 = 717.75 B/token
 *   3 × 360 + 717.75 = 1,797.75 B/token.
 * DeepSeek's "~890 B/token" is the same four layers in 4-bit: an NVFP4 entry of the 512-wide head is 256 B of values
 * + 32 one-byte scales (one per 16) = 288 B, the fp4 indexer key 68 B (64 B + a 4-byte scale), unpadded:
 *   (3 / 2 + 1) × (288 + 68) = 2.5 × 356 = 890 B/token exactly — vLLM 0.31's default on SM100 (NVFP4 compressed KV).
 * The catalog's KV dtypes stop at fp8, so the plan sizes V4.1 at fp8 (or bf16) and over-reserves on SM100.
 */
describe('V4.1-Flash KV per token', () => {
  test('fp8: 1,797.75 B/token, the padded fp8 layout (DeepSeek\'s ~890 B/token is the NVFP4 layout, 2.5 × 356 B)', () => {
    const arch = resolveModel('deepseek-v4.1-flash');
    expect(kvBytesPerToken(arch, 'fp8')).toBe(3 * ((130 * 576 + 30 * 576) / 256) + (260 * 576 + 59 * 576) / 256);
    // bf16 entries (512 × 2 B), fp8 indexer keys, no padding: 3 × 128 × (1,024 + 132) / 256 + (1,024 + 132) = 2,890
    expect(kvBytesPerToken(arch, 'bf16')).toBe(3 * ((128 * (1024 + 132)) / 256) + (1024 + 132));
    // The fp8 slope is about twice DeepSeek's figure, as 8-bit against 4-bit entries would be.
    expect(kvBytesPerToken(arch, 'fp8') / 890).toBeGreaterThan(1.9);
    expect(kvBytesPerToken(arch, 'fp8') / 890).toBeLessThan(2.1);
  });
});
