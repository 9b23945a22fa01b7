/**
 * vLLM 0.31.0 (released ~2026-10-04), the newest vLLM release confirmed: NVIDIA (CUDA 13.0) images for
 * x86_64 and arm64, and the upstream ROCm image (vLLM 0.31.0+rocm723). No EFA libraries in any of them.
 * Flags: vllm-common.ts (shared with the AWS container line) plus V4.1-Flash, which needs ≥ 0.30.0.
 */
import type { EngineProfile } from './types';
import { RAY_START_FLAGS, RECIPE_V4_FLASH, RECIPE_V41, VLLM_FAMILIES, VLLM_FLAGS, VLLM_V41_FAMILY } from './vllm-common';
import { VLLM_MEMORY_CALIBRATION } from './calibration';

const DOCKER_DOCS = 'https://docs.vllm.ai/en/stable/deployment/docker/';

export const VLLM_0_31_0: EngineProfile = {
  id: 'vllm-0.31.0',
  engine: 'vllm',
  engineVersion: '0.31.0',
  line: 'upstream',
  images: [
    {
      target: 'nvidia',
      cpuArchitecture: 'x86_64',
      tag: 'vllm/vllm-openai:v0.31.0',
      digest: 'sha256:c1c9f6fd5c109ba7f0546a59f5b2f15fb87f64c77782e90a27b648b42a8e67c3',
      // `vllm serve` is the image's ENTRYPOINT: "add any other engine-args you need after the image tag".
      entrypoint: ['vllm', 'serve'],
      efaLibraries: false,
      sources: [
        { url: DOCKER_DOCS, status: 'confirmed', note: 'official image vllm/vllm-openai:<tag>; engine args follow the image' },
        { url: 'https://hub.docker.com/r/vllm/vllm-openai/tags?name=v0.31.0', status: 'third-party', note: 'registry not read here; the manifest-list digest sha256:c1c9f6fd… is recorded by several public Dockerfiles pinning vllm/vllm-openai:v0.31.0 ("RepoDigest from docker image inspect", "manifest-list digest read from the Docker registry", 2026-10-08/10). CUDA 13.0 (needs an R580+ driver); a -cu129 tag exists for CUDA 12.9 hosts' },
      ],
    },
    {
      target: 'nvidia',
      cpuArchitecture: 'arm64',
      tag: 'vllm/vllm-openai:v0.31.0-aarch64',
      digest: 'sha256:3f7dd5b777d34d1724456ce71f87385dca288c3bb23029ab27dee358f5d2b971',
      entrypoint: ['vllm', 'serve'],
      efaLibraries: false,
      sources: [
        { url: 'https://hub.docker.com/r/vllm/vllm-openai/tags?name=v0.31.0-aarch64', status: 'third-party', note: 'registry not read here; tag, CUDA 13, push date 2026-10-04 and digest as recorded in a public GH200 serving note ("registry digests read from the registries, nothing pulled", 2026-10-05)' },
      ],
    },
    {
      target: 'amd',
      cpuArchitecture: 'x86_64',
      tag: 'vllm/vllm-openai-rocm:v0.31.0',
      digest: 'sha256:749f6f3f944f12af49966ac523c1f8573e4b229594b541954bd5f879b4496b1f',
      // Whether this image's ENTRYPOINT is `vllm serve` was not verified: the launch clears it and names the program.
      entrypoint: 'clear',
      efaLibraries: false,
      sources: [
        { url: 'https://hub.docker.com/r/vllm/vllm-openai-rocm/tags?name=v0.31.0', status: 'third-party', note: 'registry not read here; "The v0.31.0 release image (vllm/vllm-openai-rocm:v0.31.0, 2026-10-04) is ROCm 7.2.3 + torch 2.13 (0.31.0+rocm723)" and its base digest sha256:749f6f3f… recorded in public experiment notes' },
        { url: RECIPE_V4_FLASH, status: 'confirmed', note: 'the vLLM recipes serve DeepSeek on AMD from the vllm/vllm-openai-rocm repository (docker_image.amd: vllm/vllm-openai-rocm:nightly)' },
      ],
    },
  ],
  flags: VLLM_FLAGS,
  launcherFlags: RAY_START_FLAGS,
  families: { ...VLLM_FAMILIES, 'deepseek-v4.1': VLLM_V41_FAMILY },
  memoryCalibration: VLLM_MEMORY_CALIBRATION,
  sources: [
    { url: 'https://github.com/vllm-project/vllm/releases/tag/v0.31.0', status: 'third-party', note: 'release ~2026-10-04 (latest confirmed mid-October 2026); V4.1 needs ≥ 0.30.0' },
    { url: RECIPE_V41, status: 'confirmed', note: 'min_vllm_version 0.30.0 for DeepSeek-V4.1-Flash' },
  ],
};
