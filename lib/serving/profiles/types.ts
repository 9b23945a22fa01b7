/**
 * The shape of an engine profile: one engine release (vLLM 0.31.0, SGLang 0.5.21, llama.cpp b9917, the
 * AWS vLLM container's 0.27.1) with its images, the flags its parser accepts (each with where it was
 * read), the flags it takes per DeepSeek model family, and the engine version the memory model was
 * fitted on. One file per profile in this folder; `index.ts` holds the registry and the selection.
 */
import type { CpuArchitecture, Engine, GpuArchitecture, Source } from '../../types';

/** CPU architecture of the host the image runs on (another module adds it to instances/topology). */
export type { CpuArchitecture } from '../../types';

/** Hardware an image targets: a GPU vendor, or plain CPU. */
export type ImageTarget = 'nvidia' | 'amd' | 'cpu';

/**
 * DeepSeek model families whose serving flags differ. Identified from the HF `model_type` and the
 * catalog id (see families.ts): `deepseek-v3` is V3/V3-0324, `deepseek-r1` R1/R1-0528, `deepseek-v3.1`
 * V3.1/Terminus, `deepseek-v4` the V4 preview (MTP head), `deepseek-v4-dspark` V4-Flash-0731 /
 * V4-Pro-0813 (fused DSpark draft), `deepseek-r1-distill` the Qwen/Llama distills, `other` the rest.
 */
export type ModelFamily =
  | 'deepseek-v2'
  | 'deepseek-v3'
  | 'deepseek-r1'
  | 'deepseek-v3.1'
  | 'deepseek-v3.2'
  | 'deepseek-v4'
  | 'deepseek-v4-dspark'
  | 'deepseek-v4.1'
  | 'deepseek-r1-distill'
  | 'other';

/** One pinned image of a profile, for one hardware target and CPU architecture. */
export interface ProfileImage {
  readonly target: ImageTarget;
  readonly cpuArchitecture: CpuArchitecture;
  /** Repository and immutable tag, e.g. `vllm/vllm-openai:v0.31.0`. */
  readonly tag: string;
  /** Content digest (`sha256:…`) when one was found in a public record; absent when none was (the source says so). */
  readonly digest?: string;
  /**
   * Why the tag is mutable, when the publisher documents it as such (a rolling minor tag) and no digest
   * pins it: plans and deployment layouts name it in a decision and a warning. @default the tag is a release tag
   */
  readonly mutableTag?: string;
  /**
   * The image's ENTRYPOINT as it matters to the command: `['vllm', 'serve']`-style entrypoints take
   * engine arguments only; `null` means an entrypoint that runs its arguments (the command names the
   * program); `'clear'` means the entrypoint is not verified, so the launch clears it and names the program.
   */
  readonly entrypoint: readonly string[] | null | 'clear';
  /** The image carries libfabric with the EFA provider and aws-ofi-nccl, so NCCL can use EFA's RDMA. */
  readonly efaLibraries: boolean;
  readonly sources: readonly Source[];
}

/** Where a flag of a parser was read. Keys of a profile's flag list are the exact spellings emitted. */
export interface FlagSource {
  /** Repository@commit:path of the parser, or the URL of a document that uses the flag with this version. */
  readonly source: string;
  /** What was read there (the registration line, or the command that uses it). */
  readonly note: string;
}

/** A flag (and its value words) that applies on some GPU architectures only. */
export interface ArchitectureFlags {
  /** GPU architectures the words apply to. */
  readonly architectures: readonly GpuArchitecture[];
  /** argv words, flag first. */
  readonly args: readonly string[];
  /** Served weight precisions the words apply to (Marlin for FP4 experts only). @default every precision */
  readonly precisions?: readonly string[];
  readonly source: string;
}

/** Speculative decoding with the model's own draft (MTP head or DSpark), rendered only when asked for. */
export interface SpeculativeFlags {
  /** The draft the checkpoint carries. */
  readonly draft: 'mtp' | 'dspark';
  /** argv words on NVIDIA GPUs. */
  readonly args: readonly string[];
  /** argv words on AMD GPUs when they differ. */
  readonly amdArgs?: readonly string[];
  /** argv words on Hopper when they differ (the V4 recipe drafts fewer tokens there). */
  readonly hopperArgs?: readonly string[];
  readonly source: string;
}

/** What one engine release takes for one model family, beyond the model-independent flags. */
export interface FamilyFlags {
  /** The config ships custom code (`--trust-remote-code`): a family property, not a flag of the renderer. */
  readonly trustRemoteCode: boolean;
  /**
   * GPU architectures the release does not serve the family on (the recipe marks them unsupported):
   * the planner refuses them with the reason.
   */
  readonly unsupportedGpuArchitectures?: { readonly architectures: readonly string[]; readonly reason: string; readonly source: string };
  /** vLLM `--tokenizer-mode` (the V3.2/V4/V4.1 chat encoders). */
  readonly tokenizerMode?: string;
  /** Tool-call parser (`--tool-call-parser`, with vLLM's `--enable-auto-tool-choice`). */
  readonly toolCallParser?: string;
  /** Reasoning parser (`--reasoning-parser`). */
  readonly reasoningParser?: string;
  /** KV block / page size the model requires (vLLM `--block-size`, SGLang `--page-size`). */
  readonly blockSizeTokens?: number;
  /** The block size the family needs on AMD (ROCm) when it differs (vLLM V3.2 on MI300X/MI355X: `--block-size 1`). */
  readonly amdBlockSizeTokens?: number;
  /** KV dtype the engine's recipe runs the family with; the plan keeps its own and warns when they differ. */
  readonly recipeKvCacheDtype?: 'fp8';
  /** Attention configuration per GPU architecture (vLLM's FP4 indexer cache on Blackwell). */
  readonly attention?: ArchitectureFlags;
  /** MoE kernel backend per GPU architecture (vLLM `--moe-backend`, SGLang `--moe-runner-backend`). */
  readonly moeBackend?: readonly ArchitectureFlags[];
  /** Expert parallelism with tensor parallelism on NVIDIA (vLLM `--enable-expert-parallel`, the recipes' TP+EP). */
  readonly expertParallelWithTp: boolean;
  readonly speculative?: SpeculativeFlags;
  readonly sources: readonly string[];
}

/** The engine version the memory model's constants were fitted on, for this engine. */
export interface MemoryCalibration {
  /** Engine version of the start-up logs the constants were fitted on; undefined when the engine's model is not fitted. */
  readonly fittedOnEngineVersion?: string;
  /** Where the constants and their logs are (a path in this repository). */
  readonly source: string;
}

/** One engine release. */
export interface EngineProfile {
  /** `<engine>-<version>` plus a line suffix where two images carry the same engine (e.g. `vllm-0.27.1-aws-dlc`). */
  readonly id: string;
  readonly engine: Engine;
  /** Engine release inside the images (`serving.engineVersion` in the plan). */
  readonly engineVersion: string;
  /** A line of images maintained apart from the engine's own (the AWS Deep Learning Containers). */
  readonly line: 'upstream' | 'aws-dlc';
  readonly images: readonly ProfileImage[];
  /** Every flag the renderer may emit for this release, with where it was read. */
  readonly flags: Readonly<Record<string, FlagSource>>;
  /** Flags of helper programs the launch runs before the engine (`ray start`), with where they were read. */
  readonly launcherFlags: Readonly<Record<string, FlagSource>>;
  /** Flags per model family; a family absent here gets only the model-independent flags. */
  readonly families: Readonly<Partial<Record<ModelFamily, FamilyFlags>>>;
  readonly memoryCalibration: MemoryCalibration;
  /** Release notes or tag page of this version. */
  readonly sources: readonly Source[];
}
