/**
 * Pinned container images per engine × hardware vendor, each with the source that names the tag.
 * No `latest`: a floating tag changes the flag set under a rendered command line.
 *
 * Version choice, and why:
 * - vLLM: `v0.11.x`. The flag lists in /work/shared/reference/serving-facts.md were read in vLLM
 *   source at v0.11.1 (vllm-project/vllm `vllm/engine/arg_utils.py@99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b`),
 *   and `v0.11.0` is the tag the vLLM Docker docs show. The ROCm image is AMD's validated build of
 *   vLLM 0.11.2. Every vLLM flag we emit is in the "safe core" (present in v0.11.1 and in a later
 *   snapshot), so a later bump of these tags keeps the command valid.
 * - SGLang: `v0.5.18`, NVIDIA and MI300X (gfx942) builds of the same release. Every SGLang flag we
 *   emit is registered both in the ~v0.5.6–v0.5.8 parser the facts were read from and in a later
 *   annotation-style parser (sgl-project/sglang `python/sglang/srt/server_args.py@001067fffe33427bee0ed2f007fb7551a1d76b44`).
 * - llama.cpp: build `b9917` for all three variants (CPU, CUDA, ROCm): the one build for which a
 *   published tag of every variant was found. Flags we emit exist in that build's era (see llamacpp.ts).
 */
import type { Engine, GpuVendor, Source } from '../types';

/** Hardware an image targets: a GPU vendor, or plain CPU. */
export type ImageTarget = GpuVendor | 'cpu';

/** One pinned engine image. */
export interface EngineImage {
  readonly engine: Engine;
  readonly target: ImageTarget;
  /** Full image reference with a pinned tag. */
  readonly image: string;
  /** Engine release inside the image. */
  readonly engineVersion: string;
  /**
   * The ENTRYPOINT the image declares when it matters to the command: `['vllm', 'serve']` style
   * entrypoints take engine arguments only; `null` means no entrypoint that consumes engine args
   * (the command must start with the program to run).
   */
  readonly entrypoint: readonly string[] | null;
  readonly sources: readonly Source[];
}

const VLLM_NVIDIA: EngineImage = {
  engine: 'vllm',
  target: 'nvidia',
  image: 'vllm/vllm-openai:v0.11.0',
  engineVersion: '0.11.0',
  // The entrypoint moved from `python3 -m vllm.entrypoints.openai.api_server` to `vllm serve` across
  // releases; both accept `--model X ...`, which is why the NVIDIA command uses `--model`.
  entrypoint: ['vllm', 'serve'],
  sources: [
    {
      url: 'https://docs.vllm.ai/en/stable/deployment/docker/',
      status: 'confirmed',
      note: 'Official image vllm/vllm-openai:<tag>, example tag v0.11.0; "add any other engine-args you need after the image tag".',
    },
    {
      url: 'vllm-project/vllm@0000977eaf873be6a295cf73017976d49ca2fb9d:docker/Dockerfile',
      status: 'confirmed',
      note: 'Older vllm-openai stage: ENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]; later releases use ENTRYPOINT ["vllm", "serve"] (third-party Dockerfiles derived from the image).',
    },
  ],
};

const VLLM_ROCM: EngineImage = {
  engine: 'vllm',
  target: 'amd',
  image: 'rocm/vllm:rocm7.0.0_vllm_0.11.2_20251210',
  engineVersion: '0.11.2',
  // AMD's docs start rocm/vllm images with `bash` as the command: the command must name `vllm serve`.
  entrypoint: null,
  sources: [
    {
      url: 'https://docs.vultr.com/inference-cookbook/rocm/getting-started/environment-setup',
      status: 'third-party',
      note: 'AMD-validated rocm/vllm:rocm7.0.0_vllm_0.11.2_20251210 for MI300X; AMD docs pass an explicit command.',
    },
  ],
};

const SGLANG_NVIDIA: EngineImage = {
  engine: 'sglang',
  target: 'nvidia',
  image: 'lmsysorg/sglang:v0.5.18',
  engineVersion: '0.5.18',
  // The image's entrypoint is the CUDA base image's wrapper that execs its arguments, not the server.
  entrypoint: null,
  sources: [
    {
      url: 'https://hub.docker.com/r/lmsysorg/sglang/tags',
      status: 'third-party',
      note: 'Registry page not read here. Tag v0.5.18 seen pinned in public repositories (one records digest sha256:9e148f5ac788e856a06166bd6347a831831eb9fcfab4d1770874823a7c29a1a1); docs show lmsysorg/sglang:v0.5.x tags and `python3 -m sglang.launch_server` as the command.',
    },
  ],
};

const SGLANG_ROCM: EngineImage = {
  engine: 'sglang',
  target: 'amd',
  image: 'lmsysorg/sglang:v0.5.18-rocm720-mi30x',
  engineVersion: '0.5.18',
  entrypoint: null,
  sources: [
    {
      url: 'https://docs.sglang.io/basic_usage/deepseek_v32.html',
      status: 'confirmed',
      note: 'MI300/MI325 (gfx942) images are tagged -mi30x (docs example lmsysorg/sglang:v0.5.8-rocm700-mi30x).',
    },
    {
      url: 'https://hub.docker.com/r/lmsysorg/sglang/tags',
      status: 'third-party',
      note: 'Registry page not read here. v0.5.18-rocm720-mi30x seen in a public benchmark record running on gfx942.',
    },
  ],
};

/** llama.cpp build pinned for every variant. */
export const LLAMACPP_BUILD = 'b9917';

const LLAMACPP_SOURCES_COMMON: Source = {
  url: 'https://github.com/ggml-org/llama.cpp/blob/master/docs/docker.md',
  status: 'third-party',
  note: 'Variants :server (CPU), :server-cuda, :server-rocm, immutable server[-variant]-b<build> tags; the .devops server Dockerfiles set ENTRYPOINT ["/app/llama-server"] (read via copies), so arguments after the image go to llama-server.',
};

const LLAMACPP_CPU: EngineImage = {
  engine: 'llamacpp',
  target: 'cpu',
  image: `ghcr.io/ggml-org/llama.cpp:server-${LLAMACPP_BUILD}`,
  engineVersion: LLAMACPP_BUILD,
  entrypoint: ['/app/llama-server'],
  sources: [
    LLAMACPP_SOURCES_COMMON,
    { url: 'https://github.com/ggml-org/llama.cpp/pkgs/container/llama.cpp', status: 'third-party', note: 'Registry page not read here. server-b9917 used in a published Modal example.' },
  ],
};

const LLAMACPP_CUDA: EngineImage = {
  engine: 'llamacpp',
  target: 'nvidia',
  image: `ghcr.io/ggml-org/llama.cpp:server-cuda-${LLAMACPP_BUILD}`,
  engineVersion: LLAMACPP_BUILD,
  entrypoint: ['/app/llama-server'],
  sources: [
    LLAMACPP_SOURCES_COMMON,
    { url: 'https://github.com/ggml-org/llama.cpp/pkgs/container/llama.cpp', status: 'third-party', note: 'Registry page not read here. server-cuda-b9917 seen pinned with digest sha256:19b4445dba0f3be11af40386a3409b8ac4bccb275f8ee7728560202f1fe76a6d.' },
  ],
};

const LLAMACPP_ROCM: EngineImage = {
  engine: 'llamacpp',
  target: 'amd',
  image: `ghcr.io/ggml-org/llama.cpp:server-rocm-${LLAMACPP_BUILD}`,
  engineVersion: LLAMACPP_BUILD,
  entrypoint: ['/app/llama-server'],
  sources: [
    LLAMACPP_SOURCES_COMMON,
    { url: 'https://github.com/ggml-org/llama.cpp/pkgs/container/llama.cpp', status: 'third-party', note: 'Registry page not read here. server-rocm-b9917 seen pinned with digest sha256:a56e8917cc07c37b5730fc98ebac1a39a30ba0acb5ccadf52478f2798d736728. gfx942 (MI300X) coverage of the build not verified.' },
  ],
};

/**
 * The image table: engine → hardware → pinned image. A missing entry means the combination is not
 * rendered (vLLM/SGLang on CPU).
 */
export const ENGINE_IMAGES: Readonly<Record<Engine, Readonly<Partial<Record<ImageTarget, EngineImage>>>>> = {
  vllm: { nvidia: VLLM_NVIDIA, amd: VLLM_ROCM },
  sglang: { nvidia: SGLANG_NVIDIA, amd: SGLANG_ROCM },
  llamacpp: { cpu: LLAMACPP_CPU, nvidia: LLAMACPP_CUDA, amd: LLAMACPP_ROCM },
};

/** The pinned image for an engine on a hardware target, or undefined when the pair is not supported. */
export function imageFor(engine: Engine, target: ImageTarget): EngineImage | undefined {
  return ENGINE_IMAGES[engine]?.[target];
}
