/**
 * Hugging Face `config.json` → `ModelArchitecture`.
 *
 * One mapping serves both the catalog (each entry is an embedded config run through this parser) and
 * user-supplied configs (`hfConfig` in the spec), so a catalog model and the same model given as a file
 * always size identically. Every problem in the file is collected and thrown once as a `PlanError`.
 */
import { PlanError } from '../errors';
import type { EngramConfig, HybridAttentionConfig, Issue, MlaConfig, ModelArchitecture, MoeConfig, ReleasedQuantization, SparseIndexerConfig, SpeculativeDraft } from '../types';

/** HF `model_type` values the parser understands. */
export const SUPPORTED_MODEL_TYPES = [
  'deepseek_v41',
  'deepseek_v4',
  'deepseek_v32',
  'deepseek_v3',
  'deepseek_v2',
  'llama',
  'mistral',
  'qwen2',
  'qwen3',
  'mixtral',
  'qwen2_moe',
  'qwen3_moe',
] as const;
/** One of {@link SUPPORTED_MODEL_TYPES}. */
export type SupportedModelType = (typeof SUPPORTED_MODEL_TYPES)[number];

/** HF `architectures[0]` class name of each supported model_type (used when `model_type` is absent). */
export const ARCHITECTURE_MODEL_TYPES: Readonly<Record<string, SupportedModelType>> = {
  DeepseekV41ForCausalLM: 'deepseek_v41',
  DeepseekV4ForCausalLM: 'deepseek_v4',
  DeepseekV32ForCausalLM: 'deepseek_v32',
  DeepseekV3ForCausalLM: 'deepseek_v3',
  DeepseekV2ForCausalLM: 'deepseek_v2',
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'mistral',
  Qwen2ForCausalLM: 'qwen2',
  Qwen3ForCausalLM: 'qwen3',
  MixtralForCausalLM: 'mixtral',
  Qwen2MoeForCausalLM: 'qwen2_moe',
  Qwen3MoeForCausalLM: 'qwen3_moe',
};

/** Options for {@link parseHfConfig}. */
export interface ParseHfConfigOptions {
  /** Catalog id to give the model; defaults to the lowercased `hfId`, else `<model_type>-custom`. */
  readonly id?: string;
  /** Hugging Face repository id the config belongs to, e.g. `deepseek-ai/DeepSeek-R1`. */
  readonly hfId?: string;
}

type JsonObject = Readonly<Record<string, unknown>>;

const ROOT = 'hfConfig';
const TORCH_DTYPES: Readonly<Record<string, ModelArchitecture['nativeDtype']>> = {
  bfloat16: 'bf16',
  float16: 'fp16',
  float32: 'fp32',
};

const supportedList = (): string =>
  SUPPORTED_MODEL_TYPES.map((t) => {
    const arch = Object.keys(ARCHITECTURE_MODEL_TYPES).find((a) => ARCHITECTURE_MODEL_TYPES[a] === t);
    return `${t} (${arch})`;
  }).join(', ');

/** Short, type-revealing rendering of a config value for error messages (strings stay quoted). */
function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `array ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'object' && value !== null) return `object ${truncate(JSON.stringify(value))}`;
  return truncate(JSON.stringify(value));
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads typed fields from one JSON object and records every problem instead of stopping at the first.
 * An invalid field reads as 0 so parsing can continue; the caller throws before anything is built.
 */
class FieldReader {
  readonly issues: Issue[] = [];

  constructor(
    private readonly obj: JsonObject,
    private readonly prefix: string,
  ) {}

  /** Raw value (undefined when absent). */
  raw(field: string): unknown {
    return this.obj[field];
  }

  /** Whether the field is present and not null. */
  has(field: string): boolean {
    return this.obj[field] !== undefined && this.obj[field] !== null;
  }

  /** Records an issue for `field`. */
  report(field: string, message: string): void {
    this.issues.push({ path: `${this.prefix}.${field}`, message });
  }

  private invalid(field: string, expected: string): void {
    const value = this.obj[field];
    this.report(field, value === undefined ? `is required: expected ${expected}` : `must be ${expected}, got ${show(value)}`);
  }

  /** A positive integer; `fallback` applies when the field is absent or null. */
  positiveInt(field: string, fallback?: number): number {
    const v = this.obj[field];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (isInteger(v) && v > 0) return v;
    this.invalid(field, 'a positive integer');
    return 0;
  }

  /** A non-negative integer; `fallback` applies when the field is absent or null. */
  nonNegativeInt(field: string, fallback?: number): number {
    const v = this.obj[field];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (isInteger(v) && v >= 0) return v;
    this.invalid(field, 'a non-negative integer');
    return 0;
  }

  /** A positive integer or explicit null (MLA `q_lora_rank`); the field itself must be present. */
  positiveIntOrNull(field: string, nullMeaning: string): number | null {
    const v = this.obj[field];
    if (v === null) return null;
    if (isInteger(v) && v > 0) return v;
    this.invalid(field, `a positive integer, or null for ${nullMeaning}`);
    return 0;
  }

  /** An array of integers ≥ `min`; undefined (and an issue when `required`) when absent or invalid. */
  intArray(field: string, required: boolean, min = 0): number[] | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) {
      if (required) this.invalid(field, `an array of integers ≥ ${min}`);
      return undefined;
    }
    if (Array.isArray(v) && v.every((n) => isInteger(n) && n >= min)) return v as number[];
    this.invalid(field, `an array of integers ≥ ${min}`);
    return undefined;
  }

  /** A boolean; `fallback` applies when the field is absent or null. */
  bool(field: string, fallback: boolean): boolean {
    const v = this.obj[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    this.invalid(field, 'true or false');
    return fallback;
  }
}

/** Finds the supported model_type from `model_type`, else from `architectures[0]`; an Issue when neither fits. */
function resolveModelType(cfg: JsonObject): SupportedModelType | Issue {
  const modelType = cfg['model_type'];
  const architectures = cfg['architectures'];
  const archNote = Array.isArray(architectures) ? ` (architectures: ${architectures.map(String).join(', ')})` : '';
  if (modelType !== undefined && modelType !== null) {
    if (typeof modelType !== 'string') {
      return { path: `${ROOT}.model_type`, message: `must be a string, got ${show(modelType)}` };
    }
    if ((SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType)) return modelType as SupportedModelType;
    // V4.1's text_config on its own (its model_type is deepseek_v41_text) is the same language model.
    if (modelType === 'deepseek_v41_text') return 'deepseek_v41';
    return {
      path: `${ROOT}.model_type`,
      message: `unsupported architecture: model_type "${modelType}"${archNote} is not supported; supported model_type values: ${supportedList()}`,
    };
  }
  if (Array.isArray(architectures) && architectures.length > 0) {
    const fromArch = ARCHITECTURE_MODEL_TYPES[String(architectures[0])];
    if (fromArch) return fromArch;
    return {
      path: `${ROOT}.architectures`,
      message: `unsupported architecture ${show(architectures[0])} and no model_type; supported model_type values: ${supportedList()}`,
    };
  }
  return {
    path: `${ROOT}.model_type`,
    message: `is required (or architectures[0]) to identify the architecture; supported model_type values: ${supportedList()}`,
  };
}

function parseDtype(cfg: JsonObject, issues: Issue[]): ModelArchitecture['nativeDtype'] {
  // transformers ≥ 4.56 writes `dtype`; older configs write `torch_dtype`.
  const field = cfg['torch_dtype'] !== undefined ? 'torch_dtype' : cfg['dtype'] !== undefined ? 'dtype' : undefined;
  const expected = `one of ${Object.keys(TORCH_DTYPES).map((d) => `"${d}"`).join(', ')}`;
  if (field === undefined) {
    issues.push({ path: `${ROOT}.torch_dtype`, message: `is required (or "dtype"): expected ${expected}` });
    return 'bf16';
  }
  const value = cfg[field];
  const mapped = typeof value === 'string' ? TORCH_DTYPES[value] : undefined;
  if (mapped) return mapped;
  issues.push({ path: `${ROOT}.${field}`, message: `must be ${expected}, got ${show(value)}` });
  return 'bf16';
}

/**
 * Block-FP8 checkpoints (DeepSeek-V3/R1 style) are understood; any other pre-quantized format is
 * rejected, because its weight bytes cannot be derived from the architecture alone.
 */
function parseQuantization(cfg: JsonObject, issues: Issue[], v4Family = false): ReleasedQuantization | undefined {
  const q = cfg['quantization_config'];
  if (q === undefined || q === null) return undefined;
  const path = `${ROOT}.quantization_config`;
  if (!isObject(q)) {
    issues.push({ path, message: `must be an object, got ${show(q)}` });
    return undefined;
  }
  const method = q['quant_method'];
  if (method !== 'fp8') {
    issues.push({
      path: `${path}.quant_method`,
      message:
        `pre-quantized checkpoints other than DeepSeek FP8 (quant_method "fp8", fmt "e4m3", weight_block_size) are not supported yet, got ${show(method)}; ` +
        'give the config.json of the base (unquantized) model instead and choose the serving precision in the spec',
    });
    return undefined;
  }
  const r = new FieldReader(q, path);
  // V4.1's quantization_config omits fmt (its FP8 is e4m3 like V3/V4's).
  const fmtAbsentOk = v4Family && (q['fmt'] === undefined || q['fmt'] === null);
  if (q['fmt'] !== 'e4m3' && !fmtAbsentOk) r.report('fmt', `must be "e4m3" (the DeepSeek FP8 format), got ${show(q['fmt'])}`);
  const block = q['weight_block_size'];
  const validBlock = Array.isArray(block) && block.length === 2 && block.every((n) => isInteger(n) && n > 0);
  if (!validBlock) {
    r.report(
      'weight_block_size',
      block === undefined
        ? 'is required: expected two positive integers, e.g. [128, 128] (per-tensor FP8 is not supported)'
        : `must be two positive integers, e.g. [128, 128], got ${show(block)}`,
    );
  }
  const scaleFmt = q['scale_fmt'];
  if (scaleFmt !== undefined && scaleFmt !== null && scaleFmt !== 'ue8m0') {
    r.report('scale_fmt', `must be "ue8m0" or absent (float32 scales), got ${show(scaleFmt)}`);
  }
  issues.push(...r.issues);
  if (r.issues.length > 0) return undefined;
  const [rows, cols] = block as [number, number];
  // DeepSeek-V4 writes expert_dtype at the root, V4.1 inside quantization_config.
  const expertDtype = cfg['expert_dtype'] ?? q['expert_dtype'];
  const expertPath = cfg['expert_dtype'] !== undefined ? `${ROOT}.expert_dtype` : `${path}.expert_dtype`;
  if (expertDtype !== undefined && expertDtype !== null && expertDtype !== 'fp4' && expertDtype !== 'fp8') {
    issues.push({ path: expertPath, message: `must be "fp4" (MXFP4 routed experts) or "fp8", got ${show(expertDtype)}` });
    return undefined;
  }
  return {
    method: 'fp8', format: 'e4m3', weightBlockSize: [rows, cols], scaleFormat: scaleFmt === 'ue8m0' ? 'ue8m0' : 'float32',
    ...(expertDtype === 'fp4' ? { routedExpertFormat: 'mxfp4' as const } : {}),
  };
}

function parseMla(r: FieldReader): MlaConfig {
  return {
    qLoraRank: r.positiveIntOrNull('q_lora_rank', 'a full q_proj (DeepSeek-V2-Lite)'),
    kvLoraRank: r.positiveInt('kv_lora_rank'),
    qkRopeHeadDim: r.positiveInt('qk_rope_head_dim'),
    qkNopeHeadDim: r.positiveInt('qk_nope_head_dim'),
    vHeadDim: r.positiveInt('v_head_dim'),
  };
}

function parseDeepseekMoe(r: FieldReader, firstDenseDefault?: number): MoeConfig {
  const moeIntermediateSize = r.positiveInt('moe_intermediate_size');
  // DeepseekV2Config allows n_shared_experts null, meaning no shared expert.
  const sharedExperts = r.nonNegativeInt('n_shared_experts', 0);
  return {
    routedExperts: r.positiveInt('n_routed_experts'),
    sharedExperts,
    expertsPerToken: r.positiveInt('num_experts_per_tok'),
    moeIntermediateSize,
    sharedExpertIntermediateSize: moeIntermediateSize * sharedExperts,
    sharedExpertGate: false,
    firstDenseLayers: r.nonNegativeInt('first_k_dense_replace', firstDenseDefault),
    layerFrequency: r.positiveInt('moe_layer_freq', 1),
    routerBias: r.raw('topk_method') === 'noaux_tc',
  };
}

/**
 * DeepSeek-V4 MoE: every layer routed (no first_k_dense_replace), the first num_hash_layers routed by
 * a token-id table, DSpark stages with their own expert count (dspark_n_routed_experts, V4.1).
 */
function parseHybridMoe(r: FieldReader, layers: number): MoeConfig {
  const base = parseDeepseekMoe(r, 0);
  const hashRoutedLayers = r.nonNegativeInt('num_hash_layers', 0);
  if (layers > 0 && hashRoutedLayers > layers) r.report('num_hash_layers', `must be at most num_hidden_layers (${layers}), got ${hashRoutedLayers}`);
  const draftExperts = r.has('dspark_n_routed_experts') ? r.positiveInt('dspark_n_routed_experts') : undefined;
  return { ...base, hashRoutedLayers, ...(draftExperts !== undefined ? { draftRoutedExperts: draftExperts } : {}) };
}

function parseMixtralMoe(r: FieldReader, expertSize: number): MoeConfig {
  return {
    routedExperts: r.positiveInt('num_local_experts'),
    sharedExperts: 0,
    expertsPerToken: r.positiveInt('num_experts_per_tok'),
    // Mixtral's intermediate_size is the size of one expert; every layer is MoE.
    moeIntermediateSize: expertSize,
    sharedExpertIntermediateSize: 0,
    sharedExpertGate: false,
    firstDenseLayers: 0,
    layerFrequency: 1,
    routerBias: false,
  };
}

function parseQwenMoe(r: FieldReader, withSharedExpert: boolean): MoeConfig {
  // Qwen marks a layer sparse when (layer + 1) % decoder_sparse_step == 0; only step 1 (all sparse)
  // coincides with the DeepSeek-style "every n-th layer" rule of MoeConfig, so other steps are refused.
  const step = r.positiveInt('decoder_sparse_step', 1);
  if (step > 1) r.report('decoder_sparse_step', `must be 1 (every layer sparse); ${step} is not supported yet`);
  const mlpOnly = r.raw('mlp_only_layers');
  if (mlpOnly !== undefined && mlpOnly !== null && !(Array.isArray(mlpOnly) && mlpOnly.length === 0)) {
    r.report('mlp_only_layers', `must be empty or absent (dense layers inside a Qwen MoE are not supported yet), got ${show(mlpOnly)}`);
  }
  const sharedSize = withSharedExpert ? r.nonNegativeInt('shared_expert_intermediate_size') : 0;
  return {
    routedExperts: r.positiveInt('num_experts'),
    sharedExperts: sharedSize > 0 ? 1 : 0,
    expertsPerToken: r.positiveInt('num_experts_per_tok'),
    moeIntermediateSize: r.positiveInt('moe_intermediate_size'),
    sharedExpertIntermediateSize: sharedSize,
    // Qwen2-MoE scales the shared expert by sigmoid(shared_expert_gate(x)).
    sharedExpertGate: sharedSize > 0,
    firstDenseLayers: 0,
    layerFrequency: 1,
    routerBias: false,
  };
}

/** Compression ratios the hybrid attention strategy knows (0 window only, 1/2 V4.1, 4 CSA, 128 HCA). */
export const KNOWN_COMPRESS_RATIOS: readonly number[] = [0, 1, 2, 4, 128];

function parseIndexer(r: FieldReader): SparseIndexerConfig {
  return { heads: r.positiveInt('index_n_heads'), headDim: r.positiveInt('index_head_dim'), topk: r.positiveInt('index_topk') };
}

/** Whether the config carries a fused DSpark draft (any `dspark_*` key). */
function hasDspark(text: JsonObject): boolean {
  return Object.keys(text).some((k) => k.startsWith('dspark_'));
}

/**
 * DeepSeek-V4/V4.1 hybrid attention and its draft layers. `compress_ratios` holds one entry per main
 * layer followed by one per draft layer (the preview's MTP slot, the 0731/0813/V4.1 DSpark stages).
 */
function parseHybrid(r: FieldReader, text: JsonObject, layers: number, heads: number): { hybrid: HybridAttentionConfig; draft?: SpeculativeDraft } {
  const ratios = r.intArray('compress_ratios', true) ?? [];
  ratios.forEach((ratio, i) => {
    if (!KNOWN_COMPRESS_RATIOS.includes(ratio)) {
      r.report('compress_ratios', `entry ${i} is ${ratio}: unknown attention layout; known ratios are ${KNOWN_COMPRESS_RATIOS.join(', ')} (0 sliding window only, 4 CSA, 128 HCA, 1/2 V4.1 shared KV)`);
    }
  });
  const nextn = r.nonNegativeInt('num_nextn_predict_layers', 0);
  let draft: SpeculativeDraft | undefined;
  if (layers > 0 && ratios.length > 0) {
    const trailing = ratios.length - layers;
    const dspark = hasDspark(text);
    if (trailing < 0) {
      r.report('compress_ratios', `has ${ratios.length} entries for num_hidden_layers ${layers}: needs one per layer, then one per draft stage`);
    } else if (!dspark && trailing !== nextn) {
      r.report('compress_ratios', `has ${trailing} entries past num_hidden_layers ${layers} (draft stages) but num_nextn_predict_layers is ${nextn}; they must agree`);
    } else if (trailing > 0) {
      // DSpark checkpoints keep num_nextn_predict_layers 1 while carrying three stages (vLLM dspark.py
      // `_read_dspark_num_layers`): the trailing compress_ratios entries count the stages.
      draft = { method: dspark ? 'dspark' : 'mtp', layers: trailing, storesEmbeddingCopies: false };
    }
  }
  const kvSources = r.intArray('kv_source_layer_ids', false);
  const indexSources = r.intArray('index_source_layer_ids', false);
  for (const [field, ids] of [['kv_source_layer_ids', kvSources], ['index_source_layer_ids', indexSources]] as const) {
    ids?.forEach((id) => {
      if (layers > 0 && id >= layers) r.report(field, `layer ${id} does not exist (num_hidden_layers ${layers})`);
      else if (ratios.length > id && ratios[id] === 0) r.report(field, `layer ${id} has compress_ratios ${ratios[id]} (window only): a source layer needs a compressed cache`);
    });
  }
  const oGroups = r.positiveInt('o_groups');
  if (heads > 0 && oGroups > 0 && heads % oGroups !== 0) r.report('o_groups', `must divide num_attention_heads (${heads}), got ${oGroups}`);
  const hybrid: HybridAttentionConfig = {
    headDim: r.positiveInt('head_dim'),
    qkRopeHeadDim: r.positiveInt('qk_rope_head_dim'),
    qLoraRank: r.positiveInt('q_lora_rank'),
    oGroups,
    oLoraRank: r.positiveInt('o_lora_rank'),
    slidingWindowTokens: r.positiveInt('sliding_window'),
    compressRatios: ratios.slice(0, Math.max(0, layers)),
    ...(kvSources ? { kvSourceLayerIds: kvSources } : {}),
    ...(indexSources ? { indexSourceLayerIds: indexSources } : {}),
    residualStreams: r.positiveInt('hc_mult', 1),
  };
  return { hybrid, draft };
}

/** V4.1 Engram tables; absent when the config has no engram_layer_ids. */
function parseEngram(r: FieldReader, layers: number): EngramConfig | undefined {
  const ids = r.intArray('engram_layer_ids', false);
  if (!ids) return undefined;
  const rows = r.intArray('engram_num_embeddings', true, 1) ?? [];
  if (rows.length !== ids.length) r.report('engram_num_embeddings', `must have one entry per engram_layer_ids entry (${ids.length}), got ${rows.length}`);
  ids.forEach((id) => {
    if (layers > 0 && id >= layers) r.report('engram_layer_ids', `layer ${id} does not exist (num_hidden_layers ${layers})`);
  });
  return { layerIds: ids, numEmbeddings: rows, headDim: r.positiveInt('engram_head_dim'), heads: r.positiveInt('engram_n_heads') };
}

/** Cross-field checks that only make sense once every field read cleanly. */
function checkConsistency(r: FieldReader, a: { heads: number; kvHeads: number; layers: number; moe?: MoeConfig }): void {
  if (a.heads > 0 && a.kvHeads > 0 && a.heads % a.kvHeads !== 0) {
    r.report('num_key_value_heads', `must divide num_attention_heads (${a.heads}), got ${a.kvHeads}`);
  }
  if (a.moe && a.moe.routedExperts > 0 && a.moe.expertsPerToken > a.moe.routedExperts) {
    r.report('num_experts_per_tok', `must be at most the number of routed experts (${a.moe.routedExperts}), got ${a.moe.expertsPerToken}`);
  }
  if (a.moe && a.layers > 0 && a.moe.firstDenseLayers > a.layers) {
    r.report('first_k_dense_replace', `must be at most num_hidden_layers (${a.layers}), got ${a.moe.firstDenseLayers}`);
  }
}

/**
 * Parses a Hugging Face `config.json` object into a normalized {@link ModelArchitecture}.
 *
 * Supported `model_type`s: see {@link SUPPORTED_MODEL_TYPES}. `maxContextTokens` is the config's
 * `max_position_embeddings` (the catalog overrides it with the published context where that is lower).
 * For MLA models `headDim` is the q/k head (`qk_nope_head_dim + qk_rope_head_dim`); the `mla` block
 * carries the real cache and projection dimensions.
 *
 * @throws PlanError listing every missing or invalid field (`hfConfig.<field>`), an unsupported
 *   architecture, or a pre-quantized format other than DeepSeek block FP8.
 */
export function parseHfConfig(config: unknown, opts: ParseHfConfigOptions = {}): ModelArchitecture {
  if (!isObject(config)) {
    const kind = config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config;
    throw PlanError.single(ROOT, `must be a JSON object (the contents of a Hugging Face config.json), got ${kind}`);
  }
  const modelType = resolveModelType(config);
  if (typeof modelType !== 'string') throw new PlanError([modelType]);

  // V4.1 nests the language model's fields in text_config; quantization and dtype stay at the root.
  const nested = isObject(config['text_config']);
  const text: JsonObject = nested ? (config['text_config'] as JsonObject) : config;
  const r = new FieldReader(text, nested ? `${ROOT}.text_config` : ROOT);
  const isMla = modelType === 'deepseek_v3' || modelType === 'deepseek_v2' || modelType === 'deepseek_v32';
  const isHybrid = modelType === 'deepseek_v4' || modelType === 'deepseek_v41';
  const hiddenSize = r.positiveInt('hidden_size');
  const numLayers = r.positiveInt('num_hidden_layers');
  const heads = r.positiveInt('num_attention_heads');
  // Absent num_key_value_heads means plain MHA (HF default = num_attention_heads).
  const kvHeads = r.positiveInt('num_key_value_heads', heads > 0 ? heads : 1);
  // V4 has no dense layer and no intermediate_size: every MLP is the MoE.
  const intermediateSize = isHybrid && !r.has('intermediate_size') ? r.positiveInt('moe_intermediate_size') : r.positiveInt('intermediate_size');
  const vocabSize = r.positiveInt('vocab_size');
  const maxContextTokens = r.positiveInt('max_position_embeddings');
  const tieWordEmbeddings = r.bool('tie_word_embeddings', false);

  const mla = isMla ? parseMla(r) : undefined;
  const sparseIndexer = modelType === 'deepseek_v32' || isHybrid ? parseIndexer(r) : undefined;
  const hybridParsed = isHybrid ? parseHybrid(r, text, numLayers, heads) : undefined;
  const engram = isHybrid ? parseEngram(r, numLayers) : undefined;
  if (isHybrid && kvHeads !== 1) r.report('num_key_value_heads', `must be 1 for DeepSeek-V4 hybrid attention (one shared KV head), got ${kvHeads}`);

  let headDim: number;
  if (mla) {
    headDim = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
  } else if (hybridParsed) {
    headDim = hybridParsed.hybrid.headDim;
  } else if (r.has('head_dim')) {
    headDim = r.positiveInt('head_dim');
  } else {
    headDim = hiddenSize > 0 && heads > 0 ? hiddenSize / heads : 0;
    if (hiddenSize > 0 && heads > 0 && !Number.isInteger(headDim)) {
      r.report('head_dim', `is required when hidden_size (${hiddenSize}) is not a multiple of num_attention_heads (${heads})`);
    }
  }

  // Qwen2 and Qwen2-MoE always carry q/k/v biases; the others follow `attention_bias` (default false).
  const attentionBias = modelType === 'qwen2' || modelType === 'qwen2_moe' ? true : r.bool('attention_bias', false);
  if ((isMla || isHybrid) && attentionBias) {
    r.report('attention_bias', `must be false: biased ${isHybrid ? 'hybrid' : 'MLA'} projections are not supported`);
  }

  let moe: MoeConfig | undefined;
  if (isMla) moe = parseDeepseekMoe(r);
  else if (isHybrid) moe = parseHybridMoe(r, numLayers);
  else if (modelType === 'mixtral') moe = parseMixtralMoe(r, intermediateSize);
  else if (modelType === 'qwen2_moe') moe = parseQwenMoe(r, true);
  else if (modelType === 'qwen3_moe') moe = parseQwenMoe(r, false);

  const mtpLayers = hybridParsed ? (hybridParsed.draft?.layers ?? 0) : r.nonNegativeInt('num_nextn_predict_layers', 0);
  const speculativeDraft: SpeculativeDraft | undefined = hybridParsed ? hybridParsed.draft : isMla && mtpLayers > 0 ? { method: 'mtp', layers: mtpLayers } : undefined;

  checkConsistency(r, { heads, kvHeads, layers: numLayers, moe });
  const issues: Issue[] = [...r.issues];
  const nativeDtype = parseDtype(isObject(config['text_config']) && config['torch_dtype'] === undefined && config['dtype'] === undefined ? text : config, issues);
  const releasedQuantization = parseQuantization(config['quantization_config'] === undefined && nested ? text : config, issues, isHybrid);
  if (issues.length > 0) throw new PlanError(issues);

  const id = opts.id ?? opts.hfId?.toLowerCase() ?? `${modelType}-custom`;
  return {
    id,
    ...(opts.hfId !== undefined ? { hfId: opts.hfId } : {}),
    displayName: opts.hfId ?? id,
    modelType,
    hiddenSize,
    numLayers,
    numAttentionHeads: heads,
    numKeyValueHeads: kvHeads,
    headDim,
    intermediateSize,
    vocabSize,
    tieWordEmbeddings,
    attentionBias,
    qkNorm: modelType === 'qwen3' || modelType === 'qwen3_moe',
    maxContextTokens,
    maxPositionEmbeddings: maxContextTokens,
    ...(mla ? { mla } : {}),
    ...(sparseIndexer ? { sparseIndexer } : {}),
    ...(hybridParsed ? { hybridAttention: hybridParsed.hybrid } : {}),
    ...(engram ? { engram } : {}),
    ...(moe ? { moe } : {}),
    mtpLayers,
    ...(speculativeDraft ? { speculativeDraft } : {}),
    nativeDtype,
    ...(releasedQuantization ? { releasedQuantization } : {}),
    sources: [
      {
        url: opts.hfId !== undefined ? `https://huggingface.co/${opts.hfId}/blob/main/config.json` : 'user-supplied config.json',
        status: 'confirmed',
        note: 'architecture read from the supplied config.json',
      },
    ],
  };
}
