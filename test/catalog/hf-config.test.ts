import { readFileSync } from 'fs';
import { join } from 'path';
import { isPlanError, PlanError } from '../../lib/errors';
import { parseHfConfig, SUPPORTED_MODEL_TYPES } from '../../lib/catalog/hf-config';
import type { Issue, ModelArchitecture } from '../../lib/types';

const FIXTURES = join(__dirname, '..', 'fixtures', 'hf-configs');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

/** Runs `fn`, expecting a PlanError; returns its issues. */
function issuesOf(fn: () => unknown): readonly Issue[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlanError);
    expect(isPlanError(e)).toBe(true);
    return (e as PlanError).issues;
  }
  throw new Error('expected a PlanError, nothing was thrown');
}

type Expected = Partial<Omit<ModelArchitecture, 'sources'>>;

// Every expected number below is the value written in the fixture (the published config.json, see
// test/fixtures/hf-configs/SOURCES.md); derived values show their arithmetic in the comment.
const FIELD_MAPPING: ReadonlyArray<[string, Expected]> = [
  [
    'llama-3.1-8b.json',
    {
      modelType: 'llama', hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 8,
      headDim: 128, // 4096 / 32, no head_dim in the config
      intermediateSize: 14336, vocabSize: 128256, tieWordEmbeddings: false, attentionBias: false, qkNorm: false,
      maxContextTokens: 131072, mtpLayers: 0, nativeDtype: 'bf16',
    },
  ],
  [
    'qwen2.5-7b-instruct.json',
    {
      modelType: 'qwen2', hiddenSize: 3584, numLayers: 28, numAttentionHeads: 28, numKeyValueHeads: 4,
      headDim: 128, // 3584 / 28
      intermediateSize: 18944, vocabSize: 152064, tieWordEmbeddings: false,
      attentionBias: true, // Qwen2 always has q/k/v biases, although the config has no attention_bias key
      qkNorm: false, maxContextTokens: 32768, mtpLayers: 0, nativeDtype: 'bf16',
    },
  ],
  [
    'mistral-7b-v0.1.json',
    {
      modelType: 'mistral', hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 8,
      headDim: 128, // 4096 / 32
      intermediateSize: 14336, vocabSize: 32000, tieWordEmbeddings: false, attentionBias: false, qkNorm: false,
      maxContextTokens: 32768, mtpLayers: 0, nativeDtype: 'bf16',
    },
  ],
  [
    'qwen3-8b.json',
    {
      modelType: 'qwen3', hiddenSize: 4096, numLayers: 36, numAttentionHeads: 32, numKeyValueHeads: 8,
      headDim: 128, intermediateSize: 12288, vocabSize: 151936, tieWordEmbeddings: false, attentionBias: false,
      qkNorm: true, // Qwen3 normalizes q and k per head
      maxContextTokens: 40960, mtpLayers: 0, nativeDtype: 'bf16',
    },
  ],
  [
    'mixtral-8x7b-v0.1.json',
    {
      modelType: 'mixtral', hiddenSize: 4096, numLayers: 32, numAttentionHeads: 32, numKeyValueHeads: 8, headDim: 128,
      intermediateSize: 14336, vocabSize: 32000, tieWordEmbeddings: false, attentionBias: false, qkNorm: false,
      maxContextTokens: 32768, mtpLayers: 0, nativeDtype: 'bf16',
      moe: {
        routedExperts: 8, sharedExperts: 0, expertsPerToken: 2,
        moeIntermediateSize: 14336, // Mixtral's intermediate_size is the expert size
        sharedExpertIntermediateSize: 0, sharedExpertGate: false, firstDenseLayers: 0, layerFrequency: 1, routerBias: false,
      },
    },
  ],
  [
    'qwen1.5-moe-a2.7b.json',
    {
      modelType: 'qwen2_moe', hiddenSize: 2048, numLayers: 24, numAttentionHeads: 16, numKeyValueHeads: 16,
      headDim: 128, // 2048 / 16
      intermediateSize: 5632, vocabSize: 151936, tieWordEmbeddings: false, attentionBias: true, qkNorm: false,
      maxContextTokens: 8192, mtpLayers: 0, nativeDtype: 'bf16',
      moe: {
        routedExperts: 60, sharedExperts: 1, expertsPerToken: 4, moeIntermediateSize: 1408,
        sharedExpertIntermediateSize: 5632, sharedExpertGate: true, firstDenseLayers: 0, layerFrequency: 1, routerBias: false,
      },
    },
  ],
  [
    'qwen3-30b-a3b.json',
    {
      modelType: 'qwen3_moe', hiddenSize: 2048, numLayers: 48, numAttentionHeads: 32, numKeyValueHeads: 4,
      headDim: 128, // the config's head_dim, not 2048 / 32 = 64
      intermediateSize: 6144, vocabSize: 151936, tieWordEmbeddings: false, attentionBias: false, qkNorm: true,
      maxContextTokens: 40960, mtpLayers: 0, nativeDtype: 'bf16',
      moe: {
        routedExperts: 128, sharedExperts: 0, expertsPerToken: 8, moeIntermediateSize: 768,
        sharedExpertIntermediateSize: 0, sharedExpertGate: false, firstDenseLayers: 0, layerFrequency: 1, routerBias: false,
      },
    },
  ],
  [
    'deepseek-v3.json',
    {
      modelType: 'deepseek_v3', hiddenSize: 7168, numLayers: 61, numAttentionHeads: 128, numKeyValueHeads: 128,
      headDim: 192, // qk_nope_head_dim 128 + qk_rope_head_dim 64
      intermediateSize: 18432, vocabSize: 129280, tieWordEmbeddings: false, attentionBias: false, qkNorm: false,
      maxContextTokens: 163840, mtpLayers: 1, nativeDtype: 'bf16',
      mla: { qLoraRank: 1536, kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 },
      moe: {
        routedExperts: 256, sharedExperts: 1, expertsPerToken: 8, moeIntermediateSize: 2048,
        sharedExpertIntermediateSize: 2048, // 2048 × 1 shared expert
        sharedExpertGate: false, firstDenseLayers: 3, layerFrequency: 1,
        routerBias: true, // topk_method noaux_tc
      },
      releasedQuantization: { method: 'fp8', format: 'e4m3', weightBlockSize: [128, 128], scaleFormat: 'float32' },
    },
  ],
  [
    'deepseek-v3.2.json',
    {
      modelType: 'deepseek_v32', hiddenSize: 7168, numLayers: 61, numAttentionHeads: 128, numKeyValueHeads: 128,
      headDim: 192, // 128 + 64
      maxContextTokens: 163840, maxPositionEmbeddings: 163840, mtpLayers: 1, nativeDtype: 'bf16',
      mla: { qLoraRank: 1536, kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 },
      sparseIndexer: { heads: 64, headDim: 128, topk: 2048 },
      speculativeDraft: { method: 'mtp', layers: 1 },
      moe: {
        routedExperts: 256, sharedExperts: 1, expertsPerToken: 8, moeIntermediateSize: 2048, sharedExpertIntermediateSize: 2048,
        sharedExpertGate: false, firstDenseLayers: 3, layerFrequency: 1, routerBias: true,
      },
      releasedQuantization: { method: 'fp8', format: 'e4m3', weightBlockSize: [128, 128], scaleFormat: 'ue8m0' },
    },
  ],
  [
    'deepseek-v4-flash.json',
    {
      modelType: 'deepseek_v4', hiddenSize: 4096, numLayers: 43, numAttentionHeads: 64, numKeyValueHeads: 1,
      headDim: 512, intermediateSize: 2048, // no intermediate_size: every layer is MoE, so the expert width stands in
      vocabSize: 129280, maxContextTokens: 1048576, nativeDtype: 'bf16',
      mtpLayers: 1, // 44 compress_ratios for 43 layers: the trailing entry is the MTP slot (num_nextn_predict_layers 1)
      speculativeDraft: { method: 'mtp', layers: 1, storesEmbeddingCopies: false },
      sparseIndexer: { heads: 64, headDim: 128, topk: 512 },
      hybridAttention: {
        headDim: 512, qkRopeHeadDim: 64, qLoraRank: 1024, oGroups: 8, oLoraRank: 1024, slidingWindowTokens: 128,
        compressRatios: [0, 0, ...Array.from({ length: 20 }, () => [4, 128]).flat(), 4], residualStreams: 4,
      },
      moe: {
        routedExperts: 256, sharedExperts: 1, expertsPerToken: 6, moeIntermediateSize: 2048, sharedExpertIntermediateSize: 2048,
        sharedExpertGate: false, firstDenseLayers: 0, layerFrequency: 1, routerBias: true, hashRoutedLayers: 3,
      },
      releasedQuantization: { method: 'fp8', format: 'e4m3', weightBlockSize: [128, 128], scaleFormat: 'ue8m0', routedExpertFormat: 'mxfp4' },
    },
  ],
  [
    'deepseek-v4.1-flash.json',
    {
      modelType: 'deepseek_v41', hiddenSize: 5120, numLayers: 40, numAttentionHeads: 64, numKeyValueHeads: 1, headDim: 512,
      maxContextTokens: 1048576, nativeDtype: 'bf16', // root dtype
      mtpLayers: 3, speculativeDraft: { method: 'dspark', layers: 3, storesEmbeddingCopies: false },
      sparseIndexer: { heads: 32, headDim: 128, topk: 512 },
      hybridAttention: {
        headDim: 512, qkRopeHeadDim: 64, qLoraRank: 1280, oGroups: 8, oLoraRank: 1024, slidingWindowTokens: 128,
        compressRatios: [0, 0, ...Array<number>(18).fill(2), ...Array<number>(20).fill(1)],
        kvSourceLayerIds: [2, 8, 14, 20], indexSourceLayerIds: [2, 8, 14, 20, 24, 28, 32, 36], residualStreams: 4,
      },
      engram: { layerIds: [1, 14], numEmbeddings: [384006168, 384016682], headDim: 256, heads: 8 },
      moe: {
        routedExperts: 384, sharedExperts: 1, expertsPerToken: 6, moeIntermediateSize: 2304, sharedExpertIntermediateSize: 2304,
        sharedExpertGate: false, firstDenseLayers: 0, layerFrequency: 1, routerBias: true, hashRoutedLayers: 0, draftRoutedExperts: 128,
      },
      // weight_block_size 32 and expert_dtype inside quantization_config (V4.1), no fmt key
      releasedQuantization: { method: 'fp8', format: 'e4m3', weightBlockSize: [32, 32], scaleFormat: 'ue8m0', routedExpertFormat: 'mxfp4' },
    },
  ],
  [
    'deepseek-v2-lite.json',
    {
      modelType: 'deepseek_v2', hiddenSize: 2048, numLayers: 27, numAttentionHeads: 16, numKeyValueHeads: 16,
      headDim: 192, // 128 + 64
      intermediateSize: 10944, vocabSize: 102400, tieWordEmbeddings: false, attentionBias: false, qkNorm: false,
      maxContextTokens: 163840, mtpLayers: 0, nativeDtype: 'bf16',
      mla: { qLoraRank: null, kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128 },
      moe: {
        routedExperts: 64, sharedExperts: 2, expertsPerToken: 6, moeIntermediateSize: 1408,
        sharedExpertIntermediateSize: 2816, // 1408 × 2 shared experts
        sharedExpertGate: false, firstDenseLayers: 1, layerFrequency: 1, routerBias: false, // topk_method greedy
      },
    },
  ],
];

describe('parseHfConfig field mapping', () => {
  it.each(FIELD_MAPPING)('%s', (file, expected) => {
    const arch = parseHfConfig(fixture(file));
    expect(arch).toMatchObject(expected);
    // Optional blocks are absent (not undefined-valued keys) when the architecture lacks them.
    for (const key of ['mla', 'moe', 'releasedQuantization'] as const) {
      if (!(key in expected)) expect(key in arch).toBe(false);
    }
  });

  it('covers every supported model_type with a real fixture', () => {
    const covered = FIELD_MAPPING.map(([file]) => parseHfConfig(fixture(file)).modelType);
    expect([...new Set(covered)].sort()).toEqual([...SUPPORTED_MODEL_TYPES].sort());
  });
});

describe('parseHfConfig identity and defaults', () => {
  const llama = fixture('llama-3.1-8b.json');

  it('takes the id from opts.id, else the lowercased hfId, else <model_type>-custom', () => {
    expect(parseHfConfig(llama, { id: 'my-llama', hfId: 'meta-llama/Llama-3.1-8B' }).id).toBe('my-llama');
    const byHf = parseHfConfig(llama, { hfId: 'meta-llama/Llama-3.1-8B' });
    expect(byHf).toMatchObject({ id: 'meta-llama/llama-3.1-8b', hfId: 'meta-llama/Llama-3.1-8B', displayName: 'meta-llama/Llama-3.1-8B' });
    const anonymous = parseHfConfig(llama);
    expect(anonymous.id).toBe('llama-custom');
    expect('hfId' in anonymous).toBe(false);
  });

  it('records the supplied config as the source', () => {
    expect(parseHfConfig(llama, { hfId: 'meta-llama/Llama-3.1-8B' }).sources).toEqual([
      expect.objectContaining({ url: 'https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json', status: 'confirmed' }),
    ]);
    expect(parseHfConfig(llama).sources[0]?.url).toBe('user-supplied config.json');
  });

  it('identifies the architecture from architectures[0] when model_type is absent', () => {
    const { model_type: _omitted, ...noModelType } = fixture('mixtral-8x7b-v0.1.json');
    expect(parseHfConfig(noModelType).modelType).toBe('mixtral');
  });

  it('defaults num_key_value_heads to the head count and head_dim to hidden/heads', () => {
    const { num_key_value_heads: _kv, ...mha } = llama;
    const arch = parseHfConfig(mha);
    expect(arch.numKeyValueHeads).toBe(32);
    expect(arch.headDim).toBe(128); // 4096 / 32
  });

  it('defaults tie_word_embeddings to false and honours an explicit true', () => {
    const { tie_word_embeddings: _tie, ...untied } = llama;
    expect(parseHfConfig(untied).tieWordEmbeddings).toBe(false);
    expect(parseHfConfig({ ...llama, tie_word_embeddings: true }).tieWordEmbeddings).toBe(true);
  });

  it('reads llama attention_bias (default false)', () => {
    expect(parseHfConfig({ ...llama, attention_bias: true }).attentionBias).toBe(true);
    const { attention_bias: _bias, ...noBias } = llama;
    expect(parseHfConfig(noBias).attentionBias).toBe(false);
  });

  it.each([
    ['bfloat16', 'bf16'],
    ['float16', 'fp16'],
    ['float32', 'fp32'],
  ] as const)('maps torch_dtype %s to %s, also when spelled `dtype` (transformers >= 4.56)', (torchDtype, expected) => {
    const { torch_dtype: _old, ...rest } = llama;
    expect(parseHfConfig({ ...llama, torch_dtype: torchDtype }).nativeDtype).toBe(expected);
    expect(parseHfConfig({ ...rest, dtype: torchDtype }).nativeDtype).toBe(expected);
  });

  it('reads the V3.1 ue8m0 scale format', () => {
    const v3 = fixture('deepseek-v3.json');
    const v31 = { ...v3, quantization_config: { ...(v3['quantization_config'] as object), scale_fmt: 'ue8m0' } };
    expect(parseHfConfig(v31).releasedQuantization).toEqual({ method: 'fp8', format: 'e4m3', weightBlockSize: [128, 128], scaleFormat: 'ue8m0' });
  });

  it('treats a missing num_nextn_predict_layers as no MTP layers and null n_shared_experts as no shared expert', () => {
    const { num_nextn_predict_layers: _mtp, ...v3 } = fixture('deepseek-v3.json');
    const arch = parseHfConfig({ ...v3, n_shared_experts: null });
    expect(arch.mtpLayers).toBe(0);
    expect(arch.moe).toMatchObject({ sharedExperts: 0, sharedExpertIntermediateSize: 0 });
  });
});

describe('parseHfConfig errors', () => {
  it.each([
    [null, 'null'],
    [[1, 2], 'an array'],
    ['{"model_type":"llama"}', 'string'],
    [42, 'number'],
  ])('rejects a non-object (%p)', (input, kind) => {
    expect(issuesOf(() => parseHfConfig(input))).toEqual([
      { path: 'hfConfig', message: `must be a JSON object (the contents of a Hugging Face config.json), got ${kind}` },
    ]);
  });

  it('names an unsupported model_type and lists the supported ones', () => {
    const issues = issuesOf(() => parseHfConfig(fixture('broken-unknown-architecture.json')));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('hfConfig.model_type');
    expect(issues[0]?.message).toContain('model_type "gemma2" (architectures: Gemma2ForCausalLM) is not supported');
    for (const t of SUPPORTED_MODEL_TYPES) expect(issues[0]?.message).toContain(t);
    expect(issues[0]?.message).toContain('deepseek_v3 (DeepseekV3ForCausalLM)');
  });

  it('names an unsupported architecture class when model_type is absent', () => {
    const issues = issuesOf(() => parseHfConfig({ architectures: ['FalconForCausalLM'], hidden_size: 4544 }));
    expect(issues).toEqual([{ path: 'hfConfig.architectures', message: expect.stringContaining('unsupported architecture "FalconForCausalLM"') }]);
  });

  it('asks for model_type when neither model_type nor architectures is given', () => {
    expect(issuesOf(() => parseHfConfig({ hidden_size: 4096 }))).toEqual([
      { path: 'hfConfig.model_type', message: expect.stringContaining('is required (or architectures[0])') },
    ]);
    expect(issuesOf(() => parseHfConfig({ model_type: 42 }))).toEqual([{ path: 'hfConfig.model_type', message: 'must be a string, got 42' }]);
  });

  it('reports every missing required field at once', () => {
    const issues = issuesOf(() => parseHfConfig(fixture('broken-missing-fields.json')));
    expect(issues).toEqual([
      { path: 'hfConfig.hidden_size', message: 'is required: expected a positive integer' },
      { path: 'hfConfig.num_hidden_layers', message: 'is required: expected a positive integer' },
      { path: 'hfConfig.vocab_size', message: 'is required: expected a positive integer' },
      { path: 'hfConfig.max_position_embeddings', message: 'is required: expected a positive integer' },
      { path: 'hfConfig.torch_dtype', message: 'is required (or "dtype"): expected one of "bfloat16", "float16", "float32"' },
    ]);
  });

  it('reports every wrongly typed field at once, with the value and what is expected', () => {
    const issues = issuesOf(() => parseHfConfig(fixture('broken-wrong-types.json')));
    expect(issues).toEqual([
      { path: 'hfConfig.hidden_size', message: 'must be a positive integer, got "4096"' },
      { path: 'hfConfig.num_attention_heads', message: 'must be a positive integer, got -3' },
      { path: 'hfConfig.num_key_value_heads', message: 'must be a positive integer, got 1.5' },
      { path: 'hfConfig.intermediate_size', message: 'must be a positive integer, got 0' },
      { path: 'hfConfig.tie_word_embeddings', message: 'must be true or false, got "no"' },
      { path: 'hfConfig.torch_dtype', message: 'must be one of "bfloat16", "float16", "float32", got "int8"' },
    ]);
  });

  it('joins all issues into the error message, one per line', () => {
    try {
      parseHfConfig(fixture('broken-wrong-types.json'));
      throw new Error('expected a PlanError');
    } catch (e) {
      expect((e as Error).message.split('\n')).toHaveLength(6);
      expect((e as Error).message).toContain('hfConfig.num_attention_heads: must be a positive integer, got -3');
    }
  });

  it('rejects AWQ checkpoints and asks for the base model config', () => {
    const issues = issuesOf(() => parseHfConfig(fixture('broken-awq-quantized.json')));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('hfConfig.quantization_config.quant_method');
    expect(issues[0]?.message).toMatch(/^pre-quantized checkpoints other than DeepSeek FP8 .* are not supported yet, got "awq"; give the config\.json of the base \(unquantized\) model/);
  });

  it('rejects GPTQ checkpoints the same way', () => {
    const gptq = { ...fixture('qwen1.5-moe-a2.7b.json'), quantization_config: { bits: 4, group_size: 128, quant_method: 'gptq' } };
    expect(issuesOf(() => parseHfConfig(gptq))).toEqual([
      { path: 'hfConfig.quantization_config.quant_method', message: expect.stringContaining('not supported yet, got "gptq"') },
    ]);
  });

  it('reports MLA, MoE and FP8 problems of a DeepSeek config together', () => {
    const issues = issuesOf(() => parseHfConfig(fixture('broken-deepseek-v3-moe.json')));
    expect(issues).toEqual([
      { path: 'hfConfig.q_lora_rank', message: 'is required: expected a positive integer, or null for a full q_proj (DeepSeek-V2-Lite)' },
      { path: 'hfConfig.num_experts_per_tok', message: 'must be at most the number of routed experts (8), got 16' },
      { path: 'hfConfig.first_k_dense_replace', message: 'must be at most num_hidden_layers (61), got 100' },
      { path: 'hfConfig.quantization_config.fmt', message: 'must be "e4m3" (the DeepSeek FP8 format), got "e5m2"' },
      { path: 'hfConfig.quantization_config.weight_block_size', message: 'must be two positive integers, e.g. [128, 128], got array [128]' },
    ]);
  });

  it.each<[string, Record<string, unknown>, Issue]>([
    [
      'kv heads that do not divide the heads',
      { num_key_value_heads: 5 },
      { path: 'hfConfig.num_key_value_heads', message: 'must divide num_attention_heads (32), got 5' },
    ],
    [
      'a hidden size that is no multiple of the heads, without head_dim',
      { hidden_size: 4100 },
      { path: 'hfConfig.head_dim', message: 'is required when hidden_size (4100) is not a multiple of num_attention_heads (32)' },
    ],
    [
      'a non-object quantization_config',
      { quantization_config: 'fp8' },
      { path: 'hfConfig.quantization_config', message: 'must be an object, got "fp8"' },
    ],
    [
      'a string max_position_embeddings',
      { max_position_embeddings: '131072' },
      { path: 'hfConfig.max_position_embeddings', message: 'must be a positive integer, got "131072"' },
    ],
  ])('rejects %s (llama)', (_what, patch, issue) => {
    expect(issuesOf(() => parseHfConfig({ ...fixture('llama-3.1-8b.json'), ...patch }))).toEqual([issue]);
  });

  it.each<[string, string, Record<string, unknown>, Issue]>([
    [
      'Qwen MoE with decoder_sparse_step 2',
      'qwen1.5-moe-a2.7b.json',
      { decoder_sparse_step: 2 },
      { path: 'hfConfig.decoder_sparse_step', message: 'must be 1 (every layer sparse); 2 is not supported yet' },
    ],
    [
      'Qwen3 MoE with dense mlp_only_layers',
      'qwen3-30b-a3b.json',
      { mlp_only_layers: [0, 1] },
      { path: 'hfConfig.mlp_only_layers', message: expect.stringContaining('must be empty or absent') as unknown as string },
    ],
    [
      'DeepSeek with biased attention',
      'deepseek-v3.json',
      { attention_bias: true },
      { path: 'hfConfig.attention_bias', message: 'must be false: biased MLA projections are not supported' },
    ],
    [
      'an unknown FP8 scale format',
      'deepseek-v3.json',
      { quantization_config: { fmt: 'e4m3', quant_method: 'fp8', weight_block_size: [128, 128], scale_fmt: 'e8m0' } },
      { path: 'hfConfig.quantization_config.scale_fmt', message: 'must be "ue8m0" or absent (float32 scales), got "e8m0"' },
    ],
    [
      'per-tensor FP8 without weight_block_size',
      'deepseek-v3.json',
      { quantization_config: { fmt: 'e4m3', quant_method: 'fp8' } },
      {
        path: 'hfConfig.quantization_config.weight_block_size',
        message: 'is required: expected two positive integers, e.g. [128, 128] (per-tensor FP8 is not supported)',
      },
    ],
    [
      'a missing MoE expert count',
      'mixtral-8x7b-v0.1.json',
      { num_local_experts: undefined },
      { path: 'hfConfig.num_local_experts', message: 'is required: expected a positive integer' },
    ],
  ])('rejects %s', (_what, file, patch, issue) => {
    expect(issuesOf(() => parseHfConfig({ ...fixture(file), ...patch }))).toEqual([issue]);
  });
});
