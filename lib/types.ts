/**
 * Shared vocabulary of the planning core. Framework-free: nothing here may import an IaC library.
 * Units are in the names wherever a number is bare (Bytes, GiB, Tokens, Usd, Gbps).
 */

/**
 * Weight precision as served on the GPU. `fp4`: for a model released with FP4 experts (DeepSeek-V4,
 * V4.1) the checkpoint as released (MXFP4 routed experts + FP8 block-quantized rest); for any other
 * model an NVFP4/MXFP4 checkpoint of it.
 */
export type Precision = 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4' | 'fp4';
export const PRECISIONS: readonly Precision[] = ['bf16', 'fp16', 'fp8', 'int8', 'int4', 'fp4'];

/** KV-cache dtype requested by the user; `auto` follows the activation dtype (bf16/fp16). */
export type KvCacheDtype = 'auto' | 'bf16' | 'fp16' | 'fp8';
export const KV_CACHE_DTYPES: readonly KvCacheDtype[] = ['auto', 'bf16', 'fp16', 'fp8'];
/** KV-cache dtype after `auto` is resolved. */
export type ResolvedKvCacheDtype = 'bf16' | 'fp16' | 'fp8';

/**
 * Attention layout, one strategy each in `lib/sizing/attention/`: multi-head (`mha`), grouped-query
 * (`gqa`), multi-head latent (`mla`, DeepSeek-V2/V3), DeepSeek Sparse Attention (`dsa`: MLA + a
 * lightning indexer, V3.2) and the hybrid compressed attention of DeepSeek-V4/V4.1 (`hybrid`: CSA,
 * HCA and sliding-window layers over one 512-wide KV head).
 */
export type AttentionKind = 'mla' | 'gqa' | 'mha' | 'dsa' | 'hybrid';

/** Where a plan runs: a cloud, described local GPU hosts, or a CPU-only host (llama.cpp). */
export type Target = 'aws' | 'azure' | 'local' | 'cpu';
export const TARGETS: readonly Target[] = ['aws', 'azure', 'local', 'cpu'];

export type Engine = 'vllm' | 'sglang' | 'llamacpp';
export const ENGINES: readonly Engine[] = ['vllm', 'sglang', 'llamacpp'];

export type GpuId =
  | 'a10g' | 'l4' | 'l40s' | 'l20' | 'a100-40gb' | 'a100-80gb' | 'h100' | 'h800' | 'h20' | 'h200'
  | 'b200' | 'b300' | 'gb200' | 'gb300' | 'rtx-pro-6000' | 'mi300x' | 'mi325x' | 'mi355x';
export const GPU_IDS: readonly GpuId[] = [
  'a10g', 'l4', 'l40s', 'l20', 'a100-40gb', 'a100-80gb', 'h100', 'h800', 'h20', 'h200',
  'b200', 'b300', 'gb200', 'gb300', 'rtx-pro-6000', 'mi300x', 'mi325x', 'mi355x',
];
/** The id a plan uses for a GPU the user described by its memory (`--local-gpus custom:…`), not a catalog GPU. */
export type CustomGpuId = 'custom';
/** A catalog GPU or a described one. */
export type AnyGpuId = GpuId | CustomGpuId;

export type GpuVendor = 'nvidia' | 'amd';
/**
 * GPU generation as the engines' kernels see it. `blackwell` is data-centre Blackwell (SM100/SM103: B200,
 * B300, GB200, GB300); `blackwell-sm120` is the workstation/server part (RTX PRO 6000, SM120), which has FP4
 * and FP8 tensor cores but not the SM100 kernels (DeepGEMM, FlashMLA's SM100 paths) the recipes' Blackwell
 * overrides rely on.
 */
export type GpuArchitecture = 'ampere' | 'ada' | 'hopper' | 'blackwell' | 'blackwell-sm120' | 'cdna3' | 'cdna4' | 'unknown';
/** How the GPUs inside one host talk to each other. */
export type IntraNodeLinkKind = 'nvlink' | 'xgmi' | 'pcie';
/** Instruction set of the host CPU (AMIs and container images are built per architecture). */
export type CpuArchitecture = 'x86_64' | 'arm64';
export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ['x86_64', 'arm64'];

/** A fact's provenance, kept next to the data it supports. */
export interface Source {
  /** Where the fact was read (URL, or repository@commit:path). */
  readonly url: string;
  /** What kind of evidence: read in the source, derived by arithmetic, or a third-party page. */
  readonly status: 'confirmed' | 'computed' | 'third-party' | 'unconfirmed';
  /** Optional note: what exactly the source says. */
  readonly note?: string;
}

/** Multi-head latent attention (DeepSeek-V2/V3) dimensions. */
export interface MlaConfig {
  /** Low-rank query compression; null when the model uses a full q_proj (V2-Lite). */
  readonly qLoraRank: number | null;
  readonly kvLoraRank: number;
  readonly qkRopeHeadDim: number;
  readonly qkNopeHeadDim: number;
  readonly vHeadDim: number;
}

/** The lightning indexer of DeepSeek Sparse Attention (V3.2) and of V4's CSA layers. */
export interface SparseIndexerConfig {
  /** index_n_heads. */
  readonly heads: number;
  /** index_head_dim: width of one cached indexer key. */
  readonly headDim: number;
  /** index_topk: compressed entries (V4) or tokens (V3.2) each query attends to. */
  readonly topk: number;
}

/**
 * DeepSeek-V4/V4.1 hybrid attention: one shared 512-wide KV head per layer, grouped low-rank output
 * projection, a sliding window on every layer, and per-layer compression (`compress_ratios`).
 */
export interface HybridAttentionConfig {
  /** head_dim of the single KV head and of each query head (512). */
  readonly headDim: number;
  /** qk_rope_head_dim: the rotary part of each head (64), cached in bf16. */
  readonly qkRopeHeadDim: number;
  /** q_lora_rank: the low-rank query latent (wq_a → q_norm → wq_b). */
  readonly qLoraRank: number;
  /** o_groups: query heads are projected out in this many groups. */
  readonly oGroups: number;
  /** o_lora_rank: each output group's low-rank width (wo_a), joined by wo_b. */
  readonly oLoraRank: number;
  /** sliding_window: raw tokens every layer keeps, per request. */
  readonly slidingWindowTokens: number;
  /**
   * Compression ratio of each main layer (length = numLayers; draft-stage entries are dropped):
   * 0 = sliding window only, 4 = CSA (with indexer), 128 = HCA; V4.1 also uses 1 and 2.
   */
  readonly compressRatios: readonly number[];
  /** V4.1 kv_source_layer_ids: the only layers that compute and cache KV; the others read it. Absent = every layer. */
  readonly kvSourceLayerIds?: readonly number[];
  /** V4.1 index_source_layer_ids: the only layers that cache indexer keys. Absent = every CSA layer. */
  readonly indexSourceLayerIds?: readonly number[];
  /** hc_mult: residual streams of manifold-constrained hyper-connections (mHC). */
  readonly residualStreams: number;
}

/** V4.1 Engram n-gram memory: embedding tables looked up (not multiplied) at a few layers. */
export interface EngramConfig {
  /** engram_layer_ids. */
  readonly layerIds: readonly number[];
  /** engram_num_embeddings: rows of each layer's table. */
  readonly numEmbeddings: readonly number[];
  /** engram_head_dim: width of one row. */
  readonly headDim: number;
  /** engram_n_heads. */
  readonly heads: number;
}

/** The speculative-decoding draft the checkpoint carries (rendered into engine flags elsewhere). */
export interface SpeculativeDraft {
  /** `mtp`: DeepSeek multi-token-prediction layers (V3, R1, V3.2, V4 preview); `dspark`: fused DSpark stages (V4 0731/0813, V4.1). */
  readonly method: 'mtp' | 'dspark';
  /** Draft layers (MTP modules or DSpark stages) stored in the checkpoint. */
  readonly layers: number;
  /**
   * Whether each draft layer stores its own copy of the embedding and LM head (V3/R1: yes,
   * README_WEIGHTS; V4: no, its index has no mtp embed/head tensors).
   * @default true
   */
  readonly storesEmbeddingCopies?: boolean;
}

/** Mixture-of-experts dimensions. */
export interface MoeConfig {
  readonly routedExperts: number;
  readonly sharedExperts: number;
  readonly expertsPerToken: number;
  /** Intermediate size of one routed expert. */
  readonly moeIntermediateSize: number;
  /** Intermediate size of the shared expert(s) in total (DeepSeek: moeIntermediateSize × sharedExperts; Qwen-MoE: shared_expert_intermediate_size). */
  readonly sharedExpertIntermediateSize: number;
  /** Qwen2-MoE has a sigmoid gate on the shared expert (hidden → 1). */
  readonly sharedExpertGate: boolean;
  /** Leading layers that use a dense MLP instead of experts (DeepSeek first_k_dense_replace). */
  readonly firstDenseLayers: number;
  /** Every n-th layer (after the dense ones) is MoE; 1 = all. */
  readonly layerFrequency: number;
  /** DeepSeek-V3 router keeps a per-expert score-correction bias. */
  readonly routerBias: boolean;
  /**
   * DeepSeek-V4 num_hash_layers: leading MoE layers routed by a token-id → expert table (tid2eid,
   * vocab × top-k) instead of a score-correction bias.
   * @default 0
   */
  readonly hashRoutedLayers?: number;
  /**
   * Routed experts of each DSpark draft stage when it differs from the main layers (V4.1
   * dspark_n_routed_experts 128).
   * @default routedExperts
   */
  readonly draftRoutedExperts?: number;
}

/** FP8 block quantization as released in the checkpoint (DeepSeek-V3/R1/V3.2/V4). */
export interface ReleasedQuantization {
  readonly method: 'fp8';
  readonly format: 'e4m3';
  readonly weightBlockSize: readonly [number, number];
  /** How the per-block scale is stored: float32 `weight_scale_inv` (V3/R1) or ue8m0 (V3.1, V3.2, V4). */
  readonly scaleFormat: 'float32' | 'ue8m0';
  /**
   * Root `expert_dtype: "fp4"` (V4, V4.1 instruct): routed experts are MXFP4 (2 values per byte, one
   * ue8m0 scale per 32 along the input). Absent: experts are FP8 like the rest.
   * @default absent
   */
  readonly routedExpertFormat?: 'mxfp4';
}

/**
 * A model's architecture as its Hugging Face config.json describes it, normalized.
 * Every size we compute (parameters, weight bytes, KV bytes) is derived from these fields.
 */
export interface ModelArchitecture {
  /** Lowercase catalog id, e.g. `deepseek-r1`. For --hf-config models, derived from the file. */
  readonly id: string;
  /** Hugging Face repository id, e.g. `deepseek-ai/DeepSeek-R1`. */
  readonly hfId?: string;
  readonly displayName: string;
  /** HF `model_type` (deepseek_v3, deepseek_v2, llama, qwen2, mistral, mixtral, qwen2_moe, qwen3, qwen3_moe). */
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numAttentionHeads: number;
  readonly numKeyValueHeads: number;
  /** Per-head dimension for MHA/GQA (hidden/heads unless the config sets head_dim). */
  readonly headDim: number;
  /** Dense MLP intermediate size. */
  readonly intermediateSize: number;
  readonly vocabSize: number;
  readonly tieWordEmbeddings: boolean;
  /** q/k/v projections carry a bias (Qwen2). */
  readonly attentionBias: boolean;
  /** Qwen3 adds RMSNorm on q and k per head (2 × headDim params per layer). */
  readonly qkNorm: boolean;
  /** Longest context the model supports (published context where the config's max_position_embeddings overstates it). */
  readonly maxContextTokens: number;
  /**
   * config.json max_position_embeddings: the longest context the engines accept. Contexts above
   * `maxContextTokens` up to this are planned with a warning. Absent (hand-built architectures) = `maxContextTokens`.
   * @default maxContextTokens
   */
  readonly maxPositionEmbeddings?: number;
  /** MLA latent dimensions (mla and dsa attention). */
  readonly mla?: MlaConfig;
  /** Lightning indexer (dsa attention; hybrid attention's CSA layers). */
  readonly sparseIndexer?: SparseIndexerConfig;
  /** DeepSeek-V4/V4.1 hybrid compressed attention. */
  readonly hybridAttention?: HybridAttentionConfig;
  /** V4.1 Engram memory tables: weights reported apart from the backbone (`memoryParams`). */
  readonly engram?: EngramConfig;
  readonly moe?: MoeConfig;
  /**
   * Multi-token-prediction layers (or DSpark stages) stored in the checkpoint (V3/R1: 1). Loaded only
   * for speculative decoding; counted in checkpoint bytes, not in GPU-resident weights.
   */
  readonly mtpLayers: number;
  /**
   * The speculative draft the checkpoint carries, for the serving flags. Absent when it has none.
   * @default absent
   */
  readonly speculativeDraft?: SpeculativeDraft;
  /** dtype of the unquantized tensors (torch_dtype). */
  readonly nativeDtype: 'bf16' | 'fp16' | 'fp32';
  /** Set when the released checkpoint is already quantized (V3/R1: FP8 e4m3, 128×128 blocks). */
  readonly releasedQuantization?: ReleasedQuantization;
  readonly sources: readonly Source[];
}

export type Interconnect = 'efa' | 'infiniband' | 'ethernet' | 'none';

/** A GPU model. */
export interface GpuSpec {
  /** Catalog id, or `custom` for a GPU the user described. */
  readonly id: AnyGpuId;
  readonly name: string;
  readonly vendor: GpuVendor;
  readonly architecture: GpuArchitecture;
  /** Marketed memory in bytes (decimal GB × 1e9 as marketed, or GiB × 2^30 where the vendor states GiB). */
  readonly memoryBytes: number;
  /** Memory as the cloud provider / driver reports it, in MiB (EC2 GpuInfo MemoryInfo.SizeInMiB). */
  readonly reportedMemoryMiB: number;
  /** Peak memory bandwidth, GB/s (decimal). */
  readonly memoryBandwidthGBps: number;
  readonly bf16DenseTflops: number;
  /** Dense FP8 TFLOPS; 0 when the GPU has no FP8 tensor cores. */
  readonly fp8DenseTflops: number;
  /** Dense FP4 (NVFP4 / MXFP4) TFLOPS; 0 when the GPU has no FP4 tensor cores or none is published. */
  readonly fp4DenseTflops: number;
  /** FP8 tensor cores (Hopper, Ada, Blackwell, CDNA3/4). Ampere runs FP8 only as weight-only Marlin kernels. */
  readonly nativeFp8: boolean;
  /** FP4 tensor cores (NVFP4/MXFP4): SM100/SM103/SM120 Blackwell and CDNA4 (MI355X). */
  readonly nativeFp4: boolean;
  /**
   * The engines' weight-only kernels that run here without tensor-core support for the format
   * (Marlin W8A16 FP8 and W4A16 FP4). `fp8`: 'dense' = dense models only (the fused-MoE path has
   * no FP8 weight-only kernel), 'none' = not offered. `fp4`: true where FP4 Marlin runs.
   */
  readonly weightOnly: { readonly fp8: 'dense' | 'none'; readonly fp4: boolean };
  /**
   * INT8 W8A8 and INT4 AWQ/GPTQ kernels in vLLM's quantization hardware table: 'listed' (Turing →
   * Hopper), 'unlisted' (runs through Marlin but the table stops before this generation), 'none' (AMD).
   */
  readonly integerKernels: 'listed' | 'unlisted' | 'none';
  /** Intra-node GPU link, e.g. `NVLink4 900 GB/s`, `PCIe Gen4 x16`. */
  readonly intraNodeLink: string;
  /** Kind of the intra-node link: tensor-parallel all-reduce is fast over NVLink/xGMI, slow over PCIe. */
  readonly intraNodeLinkKind: IntraNodeLinkKind;
  /** Intra-node bandwidth per GPU, one direction, GB/s (NVLink4: 450; PCIe Gen4 x16: 32). */
  readonly intraNodeLinkGBpsPerDirection: number;
  readonly sources: readonly Source[];
}

/** A rentable (or described) machine with GPUs. */
export interface InstanceSpec {
  /** e.g. `p5.48xlarge`, `Standard_ND96isr_H100_v5`, or `local:mi300x:8`. */
  readonly instanceType: string;
  readonly target: Target;
  /** Catalog GPU, or `custom` for a described local GPU (then `customGpu` holds its spec). */
  readonly gpu: AnyGpuId;
  /** The described GPU of a `custom` local host, with the memory the engine will see. */
  readonly customGpu?: { readonly spec: GpuSpec; readonly visibleBytes: number };
  /** Host CPU architecture: Grace-based types (p6e-gb200/gb300, ND GB200/GB300 v6) are arm64. */
  readonly cpuArchitecture: CpuArchitecture;
  /**
   * How the type can be bought. 'capacity-block' types (P6e UltraServers) have no On-Demand offer:
   * the planner considers them only when the caller prices them or asks for Capacity Blocks.
   * @default 'on-demand'
   */
  readonly purchase?: 'on-demand' | 'capacity-block';
  readonly gpuCount: number;
  /** Per-GPU memory as the provider reports it, MiB. */
  readonly gpuMemoryMiB: number;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly networkGbps: number;
  /** Maximum EFA interfaces (AWS); 0 when the type has no EFA. */
  readonly efaInterfaces: number;
  /** Inter-node fabric usable for multi-node tensor/pipeline traffic. */
  readonly interconnect: Interconnect;
  /** Local NVMe instance store, GB (decimal); 0 when none. */
  readonly localNvmeGB: number;
  /** Number of local NVMe devices. */
  readonly localNvmeDevices: number;
  /** On-demand price, USD per hour; undefined when no confirmed price exists. */
  readonly hourlyUsd?: number;
  /** Region and date of the price. */
  readonly priceRegion?: string;
  readonly priceDate?: string;
  readonly sources: readonly Source[];
}

/** One recorded choice: which field got which value, and why. */
export interface Decision {
  readonly field: string;
  readonly value: string | number | boolean;
  readonly reason: string;
}

/** One validation problem; errors collect all of them before throwing. */
export interface Issue {
  /** Dotted path of the offending field, e.g. `contextTokens` or `localGpus[1]`. */
  readonly path: string;
  readonly message: string;
}

/**
 * A GPU that is not in the catalog, described by what the planner needs (`--local-gpus
 * custom:4:mem=48:bw=864:fp8`). Whatever is left out is assumed conservatively and the plan says so.
 */
export interface CustomGpuDescription {
  /** Memory the driver shows per GPU (nvidia-smi / rocm-smi total), GiB. */
  readonly memoryGiB: number;
  /** Peak memory bandwidth, GB/s. @default 300 (the slowest catalog GPU, L4) */
  readonly memoryBandwidthGBps?: number;
  /** FP8 tensor cores. @default false */
  readonly fp8?: boolean;
  /** FP4 (NVFP4/MXFP4) tensor cores. @default false */
  readonly fp4?: boolean;
  /** Vendor (selects CUDA or ROCm images). @default 'nvidia' */
  readonly vendor?: GpuVendor;
  /** Link between the GPUs of one host. @default 'pcie' */
  readonly link?: IntraNodeLinkKind;
}
