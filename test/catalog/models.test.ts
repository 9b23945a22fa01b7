import { PlanError } from '../../lib/errors';
import { parseHfConfig } from '../../lib/catalog/hf-config';
import { CATALOG, findModel, lookupKeys, MODELS, resolveModel } from '../../lib/catalog/models';
import type { ModelArchitecture } from '../../lib/types';

const byId = (id: string): ModelArchitecture => {
  const m = MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`no catalog entry ${id}`);
  return m;
};

// Display order: newest family first (issue 10 added the 2026 generation and R1-0528-Qwen3-8B).
const EXPECTED_IDS = [
  'deepseek-v4-flash', 'deepseek-v4-flash-0731', 'deepseek-v4-pro', 'deepseek-v4-pro-0813', 'deepseek-v4.1-flash',
  'deepseek-v3.2', 'deepseek-v3.2-exp', 'deepseek-v3.2-speciale',
  'deepseek-v3', 'deepseek-v3-0324', 'deepseek-v3.1', 'deepseek-v3.1-terminus', 'deepseek-r1', 'deepseek-r1-0528',
  'deepseek-v2', 'deepseek-v2-chat', 'deepseek-v2.5', 'deepseek-v2-lite', 'deepseek-coder-v2', 'deepseek-coder-v2-lite',
  'deepseek-llm-7b', 'deepseek-llm-67b', 'deepseek-coder-1.3b', 'deepseek-coder-6.7b', 'deepseek-coder-33b',
  'deepseek-r1-distill-qwen-1.5b', 'deepseek-r1-distill-qwen-7b', 'deepseek-r1-distill-qwen-14b', 'deepseek-r1-distill-qwen-32b',
  'deepseek-r1-distill-llama-8b', 'deepseek-r1-distill-llama-70b', 'deepseek-r1-0528-qwen3-8b',
];

describe('catalog invariants', () => {
  it('holds exactly the planned models', () => {
    expect(MODELS.map((m) => m.id).sort()).toEqual([...EXPECTED_IDS].sort());
  });

  it('has lowercase, unique ids and unique HF ids', () => {
    const ids = MODELS.map((m) => m.id);
    for (const id of ids) expect(id).toBe(id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    const hfIds = MODELS.map((m) => m.hfId);
    for (const hf of hfIds) expect(hf).toMatch(/^deepseek-ai\/[A-Za-z0-9.-]+$/);
    expect(new Set(hfIds.map((h) => h?.toLowerCase())).size).toBe(hfIds.length);
  });

  it('has no lookup key (id, HF id, alias, bare repo name) shared by two entries', () => {
    const keys = CATALOG.flatMap(lookupKeys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(MODELS.map((m) => [m.id, m] as const))('%s has sources with a location and a valid status', (_id, m) => {
    expect(m.sources.length).toBeGreaterThan(0);
    for (const s of m.sources) {
      expect(s.url.length).toBeGreaterThan(0);
      expect(['confirmed', 'computed', 'third-party', 'unconfirmed']).toContain(s.status);
    }
    // At least one source that was actually read (not only recalled).
    expect(m.sources.some((s) => s.status !== 'unconfirmed')).toBe(true);
  });

  it.each(CATALOG.map((e) => [e.model.id, e] as const))('%s is its embedded config run through parseHfConfig', (_id, entry) => {
    const parsed = parseHfConfig(entry.hfConfig, { id: entry.model.id, hfId: entry.model.hfId });
    const { displayName: _d, maxContextTokens: _c, sources: _s, ...arch } = parsed;
    expect(entry.model).toMatchObject(arch);
    // The published context never exceeds what the config allows, and the note records both numbers.
    // V4.1 nests the language model's fields (max_position_embeddings among them) in text_config.
    const text = (entry.hfConfig['text_config'] as Record<string, unknown> | undefined) ?? entry.hfConfig;
    const configMax = text['max_position_embeddings'] as number;
    expect(entry.model.maxContextTokens).toBeLessThanOrEqual(configMax);
    expect(entry.model.sources.some((s) => s.note?.includes(`max_position_embeddings is ${configMax}`))).toBe(true);
  });
});

describe('DeepSeek-V3 family', () => {
  const V3_FAMILY = ['deepseek-v3', 'deepseek-v3-0324', 'deepseek-v3.1', 'deepseek-r1', 'deepseek-r1-0528'];

  // Values from facts §1a (docs/reference-keys.md) (V3 / R1 config.json, confirmed).
  it.each(V3_FAMILY)('%s has the V3/R1 dimensions of the facts table', (id) => {
    expect(byId(id)).toMatchObject({
      modelType: 'deepseek_v3',
      hiddenSize: 7168,
      numLayers: 61,
      numAttentionHeads: 128,
      numKeyValueHeads: 128,
      intermediateSize: 18432,
      vocabSize: 129280,
      tieWordEmbeddings: false,
      mtpLayers: 1,
      nativeDtype: 'bf16',
      mla: { qLoraRank: 1536, kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 },
      moe: {
        routedExperts: 256,
        sharedExperts: 1,
        expertsPerToken: 8,
        moeIntermediateSize: 2048,
        sharedExpertIntermediateSize: 2048,
        firstDenseLayers: 3,
        layerFrequency: 1,
        routerBias: true,
      },
    });
  });

  it('is released as FP8 e4m3 with 128x128 blocks: float32 scales for V3/R1, ue8m0 for V3.1', () => {
    for (const id of V3_FAMILY) {
      expect(byId(id).releasedQuantization).toEqual({
        method: 'fp8',
        format: 'e4m3',
        weightBlockSize: [128, 128],
        scaleFormat: id === 'deepseek-v3.1' ? 'ue8m0' : 'float32',
      });
    }
  });
});

describe('DeepSeek-V2 family', () => {
  // facts §1b (docs/reference-keys.md).
  it.each(['deepseek-v2', 'deepseek-v2-chat', 'deepseek-v2.5', 'deepseek-coder-v2'])('%s is the 236B architecture', (id) => {
    expect(byId(id)).toMatchObject({
      hiddenSize: 5120,
      numLayers: 60,
      numAttentionHeads: 128,
      intermediateSize: 12288,
      vocabSize: 102400,
      mtpLayers: 0,
      mla: { qLoraRank: 1536, kvLoraRank: 512 },
      moe: { routedExperts: 160, sharedExperts: 2, expertsPerToken: 6, moeIntermediateSize: 1536, firstDenseLayers: 1, routerBias: false },
    });
    expect(byId(id).releasedQuantization).toBeUndefined();
  });

  it.each(['deepseek-v2-lite', 'deepseek-coder-v2-lite'])('%s is the 16B Lite architecture with a full q_proj', (id) => {
    expect(byId(id)).toMatchObject({
      hiddenSize: 2048,
      numLayers: 27,
      numAttentionHeads: 16,
      intermediateSize: 10944,
      mla: { qLoraRank: null, kvLoraRank: 512 },
      moe: { routedExperts: 64, sharedExperts: 2, expertsPerToken: 6, moeIntermediateSize: 1408 },
    });
  });
});

describe('dense models', () => {
  // DeepSeek-LLM README: 7B is MHA, 67B is GQA; 67B has 95 layers (paper table / HF config quoted in §1c sources).
  it('keeps MHA for deepseek-llm-7b and GQA (8 kv heads) for deepseek-llm-67b', () => {
    expect(byId('deepseek-llm-7b')).toMatchObject({ numAttentionHeads: 32, numKeyValueHeads: 32, numLayers: 30 });
    expect(byId('deepseek-llm-67b')).toMatchObject({ numAttentionHeads: 64, numKeyValueHeads: 8, numLayers: 95 });
  });

  // Qwen2 distills carry q/k/v biases; the Llama distills do not (facts §1c).
  it.each([
    ['deepseek-r1-distill-qwen-32b', { modelType: 'qwen2', hiddenSize: 5120, numLayers: 64, numKeyValueHeads: 8, intermediateSize: 27648, vocabSize: 152064, attentionBias: true }],
    ['deepseek-r1-distill-qwen-1.5b', { modelType: 'qwen2', hiddenSize: 1536, numLayers: 28, numKeyValueHeads: 2, tieWordEmbeddings: false, attentionBias: true }],
    ['deepseek-r1-distill-llama-8b', { modelType: 'llama', hiddenSize: 4096, numLayers: 32, numKeyValueHeads: 8, intermediateSize: 14336, vocabSize: 128256, attentionBias: false }],
    ['deepseek-r1-distill-llama-70b', { modelType: 'llama', hiddenSize: 8192, numLayers: 80, numKeyValueHeads: 8, intermediateSize: 28672, attentionBias: false }],
  ] as const)('%s has its base model dims', (id, expected) => {
    expect(byId(id)).toMatchObject(expected);
  });
});

describe('published context', () => {
  // READMEs: V3/R1 128K; V2 128K; V2-Lite 32K; Coder-V2(-Lite) 128K; DeepSeek-LLM 4096; DeepSeek-Coder 16K; distills 128K.
  it.each([
    ['deepseek-v3', 131072], ['deepseek-v3-0324', 131072], ['deepseek-v3.1', 131072], ['deepseek-r1', 131072], ['deepseek-r1-0528', 131072],
    ['deepseek-v2', 131072], ['deepseek-v2-chat', 131072], ['deepseek-v2.5', 131072], ['deepseek-coder-v2', 131072],
    ['deepseek-v2-lite', 32768], ['deepseek-coder-v2-lite', 131072],
    ['deepseek-llm-7b', 4096], ['deepseek-llm-67b', 4096],
    ['deepseek-coder-1.3b', 16384], ['deepseek-coder-6.7b', 16384], ['deepseek-coder-33b', 16384],
    ['deepseek-r1-distill-qwen-1.5b', 131072], ['deepseek-r1-distill-qwen-7b', 131072], ['deepseek-r1-distill-qwen-14b', 131072],
    ['deepseek-r1-distill-qwen-32b', 131072], ['deepseek-r1-distill-llama-8b', 131072], ['deepseek-r1-distill-llama-70b', 131072],
  ] as const)('%s: %d tokens', (id, tokens) => {
    expect(byId(id).maxContextTokens).toBe(tokens);
  });
});

describe('findModel', () => {
  it.each(MODELS.map((m) => [m.hfId!, m.id] as const))('resolves HF id %s to %s', (hfId, id) => {
    expect(findModel(hfId)?.id).toBe(id);
    expect(findModel(hfId.toUpperCase())?.id).toBe(id);
    expect(findModel(id.toUpperCase())?.id).toBe(id);
  });

  it.each([
    ['deepseek-ai/deepseek-llm-7b-chat', 'deepseek-llm-7b'],
    ['deepseek-ai/deepseek-llm-7b-base', 'deepseek-llm-7b'],
    ['deepseek-ai/deepseek-coder-33b-instruct', 'deepseek-coder-33b'],
    ['deepseek-ai/deepseek-coder-1.3b-instruct', 'deepseek-coder-1.3b'],
    ['deepseek-ai/DeepSeek-V2-Lite-Chat', 'deepseek-v2-lite'],
    ['deepseek-ai/DeepSeek-Coder-V2-Lite-Base', 'deepseek-coder-v2-lite'],
    ['deepseek-ai/DeepSeek-V3-Base', 'deepseek-v3'],
    ['DeepSeek-Coder-V2-Instruct', 'deepseek-coder-v2'],
    ['  deepseek-ai/DeepSeek-R1  ', 'deepseek-r1'],
  ])('resolves alias or bare name %p to %s', (name, id) => {
    expect(findModel(name)?.id).toBe(id);
  });

  it('returns the canonical entry (and its HF id) for an alias', () => {
    expect(findModel('deepseek-ai/deepseek-coder-33b-instruct')?.hfId).toBe('deepseek-ai/deepseek-coder-33b-base');
  });

  it('returns undefined for unknown names', () => {
    expect(findModel('deepseek-r2')).toBeUndefined();
    expect(findModel('meta-llama/Llama-3.1-8B')).toBeUndefined();
    expect(findModel('')).toBeUndefined();
  });
});

describe('resolveModel', () => {
  const known = `Known: ${EXPECTED_IDS.join(', ')}`;

  it('returns the model for a known name', () => {
    expect(resolveModel('deepseek-ai/DeepSeek-R1').id).toBe('deepseek-r1');
  });

  it('suggests the closest id and lists the known ones', () => {
    expect(() => resolveModel('deepseek-r2')).toThrow(PlanError);
    try {
      resolveModel('deepseek-r2');
    } catch (e) {
      expect((e as PlanError).issues).toEqual([{ path: 'model', message: `unknown model "deepseek-r2"; did you mean "deepseek-r1"? ${known}` }]);
    }
  });

  it('suggests an HF id for an HF-style typo, at the given path', () => {
    try {
      resolveModel('deepseek-ai/DeepSeek-V3.3', 'spec.model');
      throw new Error('expected a PlanError');
    } catch (e) {
      const [issue] = (e as PlanError).issues;
      expect(issue?.path).toBe('spec.model');
      expect(issue?.message).toMatch(/^unknown model "deepseek-ai\/DeepSeek-V3\.3"; did you mean "deepseek-ai\/DeepSeek-V3\.[12]"\?/);
    }
  });

  it('offers no suggestion for a name far from every entry', () => {
    try {
      resolveModel('gpt-4o');
      throw new Error('expected a PlanError');
    } catch (e) {
      expect((e as PlanError).issues[0]?.message).toBe(`unknown model "gpt-4o". ${known}`);
    }
  });

  it('rejects an empty name', () => {
    try {
      resolveModel('  ');
      throw new Error('expected a PlanError');
    } catch (e) {
      expect((e as PlanError).issues[0]?.message).toBe(`must name a catalog model or Hugging Face id, got an empty string. ${known}`);
    }
  });
});
