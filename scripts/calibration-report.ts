/**
 * Writes docs/calibration.md: the memory model's prediction for every measured engine start-up in
 * the project's measured-memory reference (public logs, each row citing its source), the measured figure, the error and whether the
 * row is held to a tolerance (and if not, why).
 *
 *   npx ts-node --transpile-only scripts/calibration-report.ts
 *
 * The rows and the comparisons come from test/fixtures/calibration.ts, the same code
 * test/sizing/calibration.test.ts asserts, so the page shows exactly what the test checks.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { VLLM_ACTIVATION, VLLM_NON_TORCH_GIB, VLLM_V0_PROFILE } from '../lib/sizing/engine-memory';
import { PINNED_PROFILES } from '../lib/serving/profiles';
import { VLLM_MEMORY_CALIBRATION } from '../lib/serving/profiles/calibration';
import {
  ARCHITECTURES,
  CALIBRATION_REFERENCE,
  CALIBRATION_ROWS,
  TOLERANCE_PCT,
  TRAINING_ROW_IDS,
  compareRow,
  heldOutComparisons,
  predict,
  refitOnTrainingRows,
  v4Rows,
  type CalibrationRow,
  type Comparison,
} from '../test/fixtures/calibration';

const GiB = 2 ** 30;
const FITTED = VLLM_MEMORY_CALIBRATION.fittedOnEngineVersion ?? 'unknown';
const OUT = join(__dirname, '..', 'docs', 'calibration.md');

const gib = (bytes: number): string => (bytes / GiB).toFixed(2);
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const cell = (s: string): string => s.replace(/\|/g, '\\|');

function value(c: Comparison, v: number | boolean): string {
  if (typeof v === 'boolean') return v ? 'starts' : 'refuses';
  if (c.metric === 'KV tokens') return int(v);
  return v.toFixed(2);
}

function setup(r: CalibrationRow): string {
  const parts = [r.weightsFormat, `KV ${r.kvCacheDtype}`, `TP${r.tp} PP${r.pp}`, r.gpu, `util ${r.utilization}`];
  if (r.maxModelLenTokens !== undefined) parts.push(`len ${int(r.maxModelLenTokens)}`);
  return parts.join(', ');
}

function status(c: Comparison): string {
  if (c.outOfScope !== undefined) return 'out of scope';
  return c.pass ? 'ok' : '**MISS**';
}

function comparisonTable(): string[] {
  const lines = [
    '| row | engine | model | setup | metric | predicted | measured | error | tolerance | status |',
    '|---|---|---|---|---|---:|---:|---:|---:|---|',
  ];
  for (const r of CALIBRATION_ROWS) {
    const comparisons = compareRow(r);
    if (comparisons.length === 0) {
      lines.push(`| \`${r.id}\` | ${r.engine} ${cell(r.version)} | ${cell(r.model)} | ${cell(setup(r))} | — | — | — | — | — | out of scope |`);
      continue;
    }
    comparisons.forEach((c, i) => {
      // The row's description once, on its first line.
      const head = i === 0 ? `\`${r.id}\` | ${r.engine} ${cell(r.version)} | ${cell(r.model)} | ${cell(setup(r))}` : ' | | | ';
      const metric = c.stageNote ? `${c.metric}, ${c.stageNote}` : c.metric;
      const error = c.errorPct === undefined ? (c.pass ? 'same' : 'differs') : `${c.errorPct >= 0 ? '+' : ''}${c.errorPct.toFixed(2)}%`;
      const tolerance = c.metric === 'starts' ? 'equal' : `±${c.tolerancePct}%`;
      lines.push(`| ${head} | ${metric} | ${value(c, c.predicted)} | ${value(c, c.measured)} | ${error} | ${tolerance} | ${status(c)} |`);
    });
  }
  return lines;
}

function budgetTable(): string[] {
  const lines = [
    '| row | visible | budget | weights (rank 0) | activation pred / log | non-torch pred / log | KV pool pred / log |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const pair = (pred: number, measured: number | undefined): string => `${gib(pred)} / ${measured === undefined ? 'n/s' : measured.toFixed(2)}`;
  for (const r of CALIBRATION_ROWS) {
    const m = predict(r);
    if (!m || r.engine !== 'vllm') continue;
    lines.push(
      `| \`${r.id}\` | ${gib(m.visibleBytes)} | ${gib(m.budgetBytes)} | ${gib(m.stages[0].weightsBytes)} | ${pair(m.activationBytes, r.measured.activationGiB)} | ${pair(m.nonTorchBytes, r.measured.nonTorchGiB)} | ${pair(r.pp > 1 ? m.stages[0].kvPoolBytes : m.kvPoolBytesPerGpu, r.measured.kvPoolGiB)} |`,
    );
  }
  return lines;
}

function heldWorst(): string {
  const held = heldOutComparisons();
  return `${Math.max(...held.map((c) => Math.abs(c.errorPct))).toFixed(2)}% (over ${held.length} comparisons)`;
}

function v4Worst(): string {
  const errs = v4Rows().filter((r) => r.predicted !== undefined).map((r) => Math.abs(((r.predicted! - r.measured) / r.measured) * 100));
  return `${Math.max(...errs).toFixed(2)}%`;
}

function summary(): string[] {
  const all = CALIBRATION_ROWS.flatMap((r) => compareRow(r).map((c) => ({ r, c })));
  const inScope = all.filter(({ c }) => c.outOfScope === undefined);
  const misses = inScope.filter(({ c }) => !c.pass);
  const maxErr = (pick: (x: { r: CalibrationRow; c: Comparison }) => boolean): string => {
    const errs = inScope.filter(pick).map(({ c }) => Math.abs(c.errorPct ?? 0));
    return errs.length ? `${Math.max(...errs).toFixed(2)}% (over ${errs.length} comparisons)` : 'none';
  };
  const excluded = CALIBRATION_ROWS.filter((r) => r.outOfScope);
  return [
    `- ${CALIBRATION_ROWS.length} rows, ${all.length} comparisons; ${inScope.length} held to a tolerance, ${misses.length} outside it` +
      `${misses.length ? ` (${misses.map(({ r, c }) => `${r.id} ${c.metric}`).join(', ')})` : ''}.`,
    `- vLLM ${FITTED} (the constants' version): largest KV-token error ${maxErr(({ r, c }) => r.pinned && c.metric === 'KV tokens')} (tolerance ±${TOLERANCE_PCT.pinnedTokens}%); ` +
      `largest weights error ${maxErr(({ r, c }) => r.pinned && c.metric === 'weights GiB')} (±${TOLERANCE_PCT.pinnedWeights}%).`,
    `- Older vLLM and SGLang: largest KV error ${maxErr(({ r, c }) => !r.pinned && (c.metric === 'KV tokens' || c.metric === 'KV pool GiB'))}; ` +
      `largest weights error ${maxErr(({ r, c }) => !r.pinned && c.metric === 'weights GiB')} (±${TOLERANCE_PCT.other}%).`,
    `- Start-up outcome (capacity ≥ max_model_len, vLLM's own check): ${inScope.filter(({ c }) => c.metric === 'starts' && c.pass).length} of ` +
      `${inScope.filter(({ c }) => c.metric === 'starts').length} agree, including both refusals.`,
    `- Out of scope: ${excluded.map((r) => `\`${r.id}\` (${r.outOfScope!.metrics === 'all' ? 'whole row' : 'KV side'})`).join(', ')}; reasons below.`,
    `- Held-out (fitted terms refit on ${TRAINING_ROW_IDS.length} rows, judged on the other models' rows): largest error ${heldWorst()}; see "Held-out check".`,
    `- DeepSeek-V4: ${v4Rows().filter((r) => r.predicted !== undefined).length} figures compared (largest error ${v4Worst()}, tolerance ±${TOLERANCE_PCT.other}%), ` +
      `${v4Rows().filter((r) => r.predicted === undefined).length} bracketed but out of scope; see "DeepSeek-V4".`,
  ];
}

function heldOutSection(): string[] {
  const k = refitOnTrainingRows();
  const held = heldOutComparisons();
  const worst = (metric: string) => {
    const errs = held.filter((c) => c.metric === metric).map((c) => Math.abs(c.errorPct));
    return errs.length ? `${Math.max(...errs).toFixed(2)}% over ${errs.length}` : 'none';
  };
  return [
    `The fitted vLLM 0.19 terms are refit on the training rows ${TRAINING_ROW_IDS.map((id) => `\`${id}\``).join(' and ')} only, and judged on the held-out 0.19 rows of the other models ` +
      '(the KV pool and tokens recomputed with the refit terms in place of the code\'s; weights and KV bytes are not fitted):',
    '',
    `- refit: ${k.bytesPerVocabAt1024Seqs.toFixed(0)} B × vocab × max_num_seqs / 1024 + ${k.bytesPerHidden.toFixed(0)} B × hidden (code: ${VLLM_ACTIVATION.bytesPerVocabAt1024Seqs} and ${VLLM_ACTIVATION.bytesPerHidden}); ` +
      `non-torch ${k.nonTorchTp1GiB} GiB at TP1, ${k.nonTorchTpMultiGiB} GiB at TP ≥ 2 (code: ${VLLM_NON_TORCH_GIB.tp1} and ${VLLM_NON_TORCH_GIB.tpMulti}).`,
    `- held-out error: activation ${worst('activation GiB')}, KV pool ${worst('KV pool GiB')}, KV tokens ${worst('KV tokens')} comparisons ` +
      `(the tests enforce ±${TOLERANCE_PCT.pinnedWeights}% on activation and ±${TOLERANCE_PCT.pinnedTokens}% on pool and tokens).`,
    '',
    '| held-out row | metric | refit model | measured | error | tolerance |',
    '|---|---|---:|---:|---:|---:|',
    ...held.map((c) => `| \`${c.id}\` | ${c.metric} | ${c.metric === 'KV tokens' ? int(c.predicted) : c.predicted.toFixed(2)} | ${c.metric === 'KV tokens' ? int(c.measured) : c.measured.toFixed(2)} | ${c.errorPct >= 0 ? '+' : ''}${c.errorPct.toFixed(2)}% | ±${c.tolerancePct}% |`),
  ];
}

function v4Section(): string[] {
  const rows = v4Rows();
  return [
    'DeepSeek-V4-Flash start-ups (docs/deepseek-2026-models.md §4). Nothing here is fitted: weights come from the tensor inventory at the released ' +
      'fp4, the activation from the counted live tensors per batched token (`lib/sizing/attention/hybrid.ts`), the KV from vLLM\'s hybrid groups ' +
      '(256-token blocks, 576-byte page alignment, each sliding window reserved for window + max_num_batched_tokens per request).',
    '',
    '| row | setup | metric | predicted | measured | error | tolerance | status |',
    '|---|---|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const fmt = (v: number) => (v >= 1000 ? int(v) : v.toFixed(2));
      if (r.predicted === undefined) return `| \`${r.id}\` | ${cell(r.setup)} | ${cell(r.metric)} | — | ${fmt(r.measured)} | — | — | out of scope |`;
      const err = ((r.predicted - r.measured) / r.measured) * 100;
      return `| \`${r.id}\` | ${cell(r.setup)} | ${cell(r.metric)} | ${fmt(r.predicted)} | ${fmt(r.measured)} | ${err >= 0 ? '+' : ''}${err.toFixed(2)}% | ±${r.tolerancePct}% | ${Math.abs(err) <= r.tolerancePct ? 'ok' : '**MISS**'} |`;
    }),
    '',
    ...rows.map((r) => `- \`${r.id}\`: ${cell(r.basis)}.${r.outOfScope ? ` Out of scope: ${r.outOfScope}.` : ''} Source: ${r.source}.`),
  ];
}

function modelSection(): string[] {
  const nt = VLLM_NON_TORCH_GIB;
  return [
    'All figures are per GPU. `lib/sizing/engine-memory.ts` computes them; the planner prints the same lines as `decisions` (`memory.*`).',
    '',
    `**vLLM V1** (vLLM ${FITTED}, the version the constants were fitted on; the equation closes on its logs, e.g. Llama-3.1-8B TP1: 79.19 × 0.95 = 75.23 = 14.99 + 1.89 + 0.25 + 58.11 GiB):`,
    '',
    '```',
    'budget      = visible memory × gpu-memory-utilization',
    'weights     = this GPU\'s share: matrices split over TP, norms replicated; embedding on the first PP stage, head on the last',
    `activation  = max( ${VLLM_ACTIVATION.bytesPerVocabAt1024Seqs.toLocaleString('en-US')} B × vocab × max_num_seqs / ${VLLM_ACTIVATION.profiledSeqs}   (sampler logits)`,
    `                 + ${VLLM_ACTIVATION.bytesPerHidden.toLocaleString('en-US')} B × hidden                     (batched-token buffers; fitted on the 0.19 sweep),`,
    `                 ${VLLM_ACTIVATION.batchedTokens.toLocaleString('en-US')} × (6 × MLP width / TP + 6 × hidden) B    (forward pass; the peak when few sequences are configured) )`,
    `non-torch   = ${nt.tp1} GiB at TP1, ${nt.tpMulti} GiB at TP ≥ 2 (NCCL, custom all-reduce), ${nt.ppOnly} GiB with PP only`,
    'KV pool     = budget − weights − activation − non-torch',
    'KV tokens   = whole blocks of (pool ÷ (KV bytes per token + per-request bytes ÷ max_model_len) on this GPU) × block size (16; 64 for MLA/DSA; 256 for V4), smallest PP stage',
    'concurrency = KV tokens ÷ context',
    '```',
    '',
    'The V1 pool does not depend on the context length: the profile run uses the batched-token budget (8,192 on an H100) and the ' +
      'sampler at max_num_seqs (1,024 by default on GPUs of 70 GiB or more). CUDA graphs are captured after the pool and come out of the ' +
      '(1 − utilization) slack.',
    '',
    `**vLLM V0** (\`vllmEngineVersion: 'v0'\`, only to read older logs): chunked prefill is off up to 32K, so the profile run is one prefill of ` +
      `max(max_model_len, ${VLLM_V0_PROFILE.minBatchedTokens}) tokens and the activation is max(that × (6 × MLP intermediate + 6 × hidden) B, the sampler term). ` +
      'The pool shrinks as the context grows. Non-torch uses the V1 figures.',
    '',
    '**SGLang**: `KV pool = visible × mem-fraction-static − weights`, token-granular (page size 1); activations and CUDA graphs live ' +
      'outside the fraction. SGLang itself multiplies the fraction by the memory free before loading (visible minus the ~0.5 GiB CUDA ' +
      'context), so with the device total the model reads about fraction × 0.5 ≈ 0.45 GiB per GPU high; the rows below show ~1%.',
  ];
}

function outOfScopeSection(): string[] {
  return CALIBRATION_ROWS.filter((r) => r.outOfScope).map(
    (r) => `- \`${r.id}\` (${r.outOfScope!.metrics === 'all' ? 'whole row' : 'KV pool, tokens and concurrency; weights and start-up still compared'}): ${r.outOfScope!.reason}`,
  );
}

function inputsTable(): string[] {
  // Bases repeat across rows: number them once and cite the number.
  const bases: string[] = [];
  const ref = (basis: string): string => {
    if (!bases.includes(basis)) bases.push(basis);
    return `[${bases.indexOf(basis) + 1}]`;
  };
  const lines = ['| row | memory sized from, GiB | utilization | max_num_seqs | architecture |', '|---|---|---|---|---|'];
  for (const r of CALIBRATION_ROWS) {
    lines.push(
      `| \`${r.id}\` | ${r.visibleGiB} ${ref(r.visibleBasis)} | ${r.utilization} ${ref(r.utilizationBasis)} | ${r.maxNumSeqs ?? '—'} ${ref(r.maxNumSeqsBasis)} | ${cell(ARCHITECTURES[r.arch].via)} |`,
    );
  }
  return [...lines, '', ...bases.map((b, i) => `${i + 1}. ${b}`)];
}

function sourcesTable(): string[] {
  const lines = ['| row | source | note |', '|---|---|---|'];
  for (const r of CALIBRATION_ROWS) lines.push(`| \`${r.id}\` | ${cell(r.source)} | ${cell(r.note ?? '')} |`);
  return lines;
}

/** The whole page. */
export function renderCalibrationReport(): string {
  return [
    '# Memory model calibration: predicted against what the engines printed',
    '',
    `Generated by \`npx ts-node --transpile-only scripts/calibration-report.ts\` from \`test/fixtures/calibration.ts\`, which transcribes ${CALIBRATION_REFERENCE}. ` +
      '`test/sizing/calibration.test.ts` asserts every in-scope line of the first table. Do not edit by hand; rerun the script after changing the model.',
    '',
    `Error = (predicted − measured) ÷ measured. Tolerances (issue 7), enforced by the tests: vLLM ${FITTED}, the version the constants were fitted on, KV tokens and pool ±5% and weights ±3%; older vLLM, SGLang and the DeepSeek-V4 rows ±10%. ` +
    `Which engine each constant was fitted on: vLLM's activation and non-torch terms on vLLM ${FITTED} (${VLLM_MEMORY_CALIBRATION.source.split(';')[0]}); SGLang's pool is an equation with no fitted constant; llama.cpp is sized from RAM. ` +
    `The images the plans pin run vLLM ${PINNED_PROFILES.vllm.engineVersion} and SGLang ${PINNED_PROFILES.sglang.engineVersion} (lib/serving/profiles): a vLLM plan warns that its KV pool may differ until the constants are re-fitted on that version. ` +
      'A row the model does not attempt says why under "Out of scope". `test/sizing/calibration.test.ts` also regenerates this page and fails when it differs from the committed one.',
    '',
    '## Summary',
    '',
    ...summary(),
    '',
    '## The model',
    '',
    ...modelSection(),
    '',
    '## Held-out check of the fitted terms',
    '',
    ...heldOutSection(),
    '',
    '## DeepSeek-V4',
    '',
    ...v4Section(),
    '',
    '## Predicted against measured',
    '',
    'Weights and, under PP, the pool are rank 0\'s (what the logs print); tokens are the replica\'s (its smallest stage). "starts" compares ' +
      'vLLM\'s start-up check: it refuses when one max_model_len request does not fit the pool.',
    '',
    ...comparisonTable(),
    '',
    '## Budget lines (vLLM rows)',
    '',
    'GiB per GPU; "log" is the engine\'s own line, n/s where the source does not print it. Under PP the activation and pool are rank 0\'s ' +
      'in the log, while the model gives every stage the last stage\'s sampler peak, so rank 0 reads low and the limiting stage right.',
    '',
    ...budgetTable(),
    '',
    '## Out of scope',
    '',
    ...outOfScopeSection(),
    '',
    '## Inputs each row was run with',
    '',
    ...inputsTable(),
    '',
    '## Sources',
    '',
    ...sourcesTable(),
    '',
  ].join('\n');
}

if (require.main === module) {
  mkdirSync(join(__dirname, '..', 'docs'), { recursive: true });
  writeFileSync(OUT, renderCalibrationReport());
  process.stdout.write(`wrote ${OUT}\n`);
}
