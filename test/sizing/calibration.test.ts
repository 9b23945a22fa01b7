import { readFileSync } from 'fs';
import { join } from 'path';
import { isPlanError } from '../../lib/errors';
import { engineMemory, vllmNonTorchBytes } from '../../lib/sizing/engine-memory';
import { countParams } from '../../lib/sizing/params';
import { renderCalibrationReport } from '../../scripts/calibration-report';
import { ARCHITECTURES, CALIBRATION_ROWS, TRAINING_ROW_IDS, compareRow, heldOutComparisons, predict, refitOnTrainingRows, rowInput, v4Rows, type CalibrationRow } from '../fixtures/calibration';

// Every number compared here is a start-up figure the engine printed (public logs, transcribed in
// test/fixtures/calibration.ts with each row's source),
// or arithmetic on those figures written out in the comment next to it.

const GiB = 2 ** 30;
const row = (id: string): CalibrationRow => {
  const found = CALIBRATION_ROWS.find((r) => r.id === id);
  if (!found) throw new Error(`no calibration row ${id}`);
  return found;
};
const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'calibration.md'), 'utf8');

describe('engine memory against measured start-ups (one test per row)', () => {
  test('the Qwen2.5-72B fixture reproduces its source\'s weight table: 72,706,203,648 parameters (hf-configs/SOURCES.md)', () => {
    expect(countParams(ARCHITECTURES['qwen2.5-72b'].load()).total).toBe(72_706_203_648);
  });

  test('all 30 rows of the reference are present, each once', () => {
    expect(CALIBRATION_ROWS).toHaveLength(30);
    expect(new Set(CALIBRATION_ROWS.map((r) => r.id)).size).toBe(30);
  });

  test.each(CALIBRATION_ROWS.map((r) => [`${r.id} [${r.source}]`, r] as const))('%s', (_name, r) => {
    const comparisons = compareRow(r);
    if (r.outOfScope) {
      // An exclusion is never silent: its reason is published next to the numbers.
      expect(r.outOfScope.reason.length).toBeGreaterThan(40);
      expect(docs).toContain(r.outOfScope.reason);
    }
    if (r.outOfScope?.metrics === 'all') {
      expect(rowInput(r)).toBeUndefined();
      return;
    }
    const inScope = comparisons.filter((c) => c.outOfScope === undefined);
    expect(inScope.length).toBeGreaterThan(0);
    for (const c of inScope) {
      if (c.metric === 'starts') {
        expect({ metric: c.metric, predicted: c.predicted }).toEqual({ metric: c.metric, predicted: c.measured });
      } else {
        // Error in % against the printed figure, labelled so a failure names the metric.
        expect({ metric: c.metric, withinPct: Math.abs(c.errorPct!) <= c.tolerancePct }).toEqual({ metric: c.metric, withinPct: true });
      }
    }
    expect(docs).toContain(r.id);
  });
});

describe('what the calibration rows show about the engines', () => {
  test.each([
    // 952,032 = 2 × 476,016 and 2,192,000 = 2 × 1,096,000 at the same 58.11 / 58.53 GiB pools
    ['vllm-0.19-llama-3.1-8b-tp1', 'vllm-0.19-llama-3.1-8b-tp1-kvfp8'],
    ['vllm-0.19-qwen2.5-7b-tp1', 'vllm-0.19-qwen2.5-7b-tp1-kvfp8'],
  ])('fp8 KV doubles the capacity at the same pool: %s → %s', (bf16Id, fp8Id) => {
    const [bf16, fp8] = [row(bf16Id), row(fp8Id)];
    expect(fp8.measured.kvTokens).toBe(2 * bf16.measured.kvTokens!);
    const [a, b] = [predict(bf16)!, predict(fp8)!];
    expect(b.kvPoolBytesPerGpu).toBe(a.kvPoolBytesPerGpu);
    expect(b.kvBytesPerTokenPerGpu * 2).toBe(a.kvBytesPerTokenPerGpu);
    // Whole 16-token blocks on both sides: the doubled count can differ by at most one block.
    expect(Math.abs(b.kvTokenCapacity - 2 * a.kvTokenCapacity)).toBeLessThanOrEqual(16);
  });

  test.each([
    // Llama-3.1-8B: 2.07 − 0.25 = 1.82 GiB more non-torch at TP2; Qwen2.5-7B: 2.06 − 0.24 = 1.82 GiB
    ['vllm-0.19-llama-3.1-8b-tp1', 'vllm-0.19-llama-3.1-8b-tp2'],
    ['vllm-0.19-qwen2.5-7b-tp1', 'vllm-0.19-qwen2.5-7b-tp2'],
  ])('TP ≥ 2 adds the non-torch overhead (NCCL, custom all-reduce): %s → %s', (tp1Id, tp2Id) => {
    const [tp1, tp2] = [row(tp1Id), row(tp2Id)];
    const measuredStep = tp2.measured.nonTorchGiB! - tp1.measured.nonTorchGiB!;
    const predictedStep = (predict(tp2)!.nonTorchBytes - predict(tp1)!.nonTorchBytes) / GiB;
    expect(Math.abs(predictedStep - measuredStep)).toBeLessThan(0.2);
    expect(vllmNonTorchBytes(4, 1)).toBe(vllmNonTorchBytes(2, 1));
  });

  test('vLLM 0.19 activation within 0.05 GiB and non-torch within 0.15 GiB of the log, on every non-PP row that prints them', () => {
    const rows = CALIBRATION_ROWS.filter((r) => r.pinned && r.pp === 1 && r.measured.activationGiB !== undefined);
    expect(rows.length).toBe(9);
    for (const r of rows) {
      const m = predict(r)!;
      expect({ id: r.id, activationOff: Math.abs(m.activationBytes / GiB - r.measured.activationGiB!) < 0.05 }).toEqual({ id: r.id, activationOff: true });
      expect({ id: r.id, nonTorchOff: Math.abs(m.nonTorchBytes / GiB - r.measured.nonTorchGiB!) < 0.15 }).toEqual({ id: r.id, nonTorchOff: true });
    }
  });

  test('PP follows the uneven split: Llama-3.1-8B PP4 is 8/8/8/8 layers, the embedding on the first stage and the head on the last', () => {
    const m = predict(row('vllm-0.19-llama-3.1-8b-pp4'))!;
    expect(m.stages.map((s) => s.layers)).toEqual([8, 8, 8, 8]);
    // embedding = head = 128,256 × 4,096 × 2 B = 1,050,673,152 B; the last stage adds the final norm (4,096 × 2 B)
    const middle = m.stages[1].weightsBytes;
    expect(m.stages[2].weightsBytes).toBe(middle);
    expect(m.stages[0].weightsBytes - middle).toBe(1_050_673_152);
    expect(m.stages[3].weightsBytes - middle).toBe(1_050_673_152 + 8_192);
    // The replica holds what its fullest stage holds: the last (head + norm), as vLLM takes the minimum.
    expect(m.kvTokenCapacity).toBe(Math.min(...m.stages.map((s) => s.kvTokenCapacity)));
    expect(m.kvTokenCapacity).toBe(m.stages[3].kvTokenCapacity);
    expect(m.stages[1].kvTokenCapacity).toBeGreaterThan(m.kvTokenCapacity);
  });

  test('vLLM V1 profiles the batched-token budget, not the context: the pool is the same at 2,048 and 32,768 tokens (0.19 sweep)', () => {
    const input = rowInput(row('vllm-0.19-llama-3.1-8b-tp1'))!;
    const short = engineMemory({ ...input, maxModelLenTokens: 2048 });
    const long = engineMemory({ ...input, maxModelLenTokens: 32768 });
    expect(long.kvPoolBytesPerGpu).toBe(short.kvPoolBytesPerGpu);
  });

  test('vLLM V0 profiles at max_model_len: 20,000 → 29,000 tokens shrinks the 3090 pool by the measured 0.92 GiB (3.81 − 2.89)', () => {
    const at20k = predict(row('vllm-0.6.4-llama-3.1-8b-rtx3090-20000'))!;
    const at29k = predict(row('vllm-0.6.4-llama-3.1-8b-rtx3090-29000'))!;
    const shrinkGiB = (at20k.kvPoolBytesPerGpu - at29k.kvPoolBytesPerGpu) / GiB;
    expect(Math.abs(shrinkGiB - 0.92) / 0.92).toBeLessThan(0.1);
  });

  test('V0 without a context length is refused, naming maxModelLenTokens', () => {
    const input = { ...rowInput(row('vllm-0.6.4-llama-3.1-8b-rtx3090-20000'))!, maxModelLenTokens: undefined };
    let caught: unknown;
    try {
      engineMemory(input);
    } catch (e) {
      caught = e;
    }
    expect(isPlanError(caught)).toBe(true);
    expect((caught as { issues: { path: string }[] }).issues[0].path).toBe('maxModelLenTokens');
  });
});

describe('fitted terms judged on rows they were not fitted on', () => {
  test('the refit uses only the training rows and reproduces them exactly (two equations, two unknowns)', () => {
    const k = refitOnTrainingRows();
    for (const id of TRAINING_ROW_IDS) {
      const r = row(id);
      const arch = ARCHITECTURES[r.arch].load();
      const act = (k.bytesPerVocabAt1024Seqs * arch.vocabSize * (r.maxNumSeqs ?? 1024)) / 1024 + k.bytesPerHidden * arch.hiddenSize;
      expect(act / GiB).toBeCloseTo(r.measured.activationGiB!, 6);
    }
  });

  test('every held-out comparison is within its tolerance (activation ±3%, KV pool and tokens ±5%)', () => {
    const held = heldOutComparisons();
    // Llama-3.3-70B (2 rows) and Qwen2.5-7B (3 rows) print their activation; none is a training row.
    expect(new Set(held.map((c) => c.id)).size).toBe(5);
    expect(held.some((c) => TRAINING_ROW_IDS.includes(c.id))).toBe(false);
    for (const c of held) expect({ id: c.id, metric: c.metric, within: Math.abs(c.errorPct) <= c.tolerancePct }).toEqual({ id: c.id, metric: c.metric, within: true });
  });
});

describe('DeepSeek-V4 start-ups (docs/deepseek-2026-models.md §4)', () => {
  test.each(v4Rows().map((r) => [r.id, r] as const))('%s', (_id, r) => {
    expect(docs).toContain(r.id);
    if (r.outOfScope) {
      expect(r.predicted).toBeUndefined();
      expect(docs).toContain(r.outOfScope);
      return;
    }
    const errorPct = ((r.predicted! - r.measured) / r.measured) * 100;
    expect({ id: r.id, within: Math.abs(errorPct) <= r.tolerancePct }).toEqual({ id: r.id, within: true });
  });
});

describe('docs/calibration.md', () => {
  test('is what scripts/calibration-report.ts generates now (rerun the script after changing the model)', () => {
    expect(docs).toBe(renderCalibrationReport());
  });
});
