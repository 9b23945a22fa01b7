/**
 * llama.cpp build b9917: `llama-server` images for CPU (multi-arch: x86_64 and arm64), CUDA and ROCm
 * (x86_64). The CPU fallback of the planner; unchanged from the earlier pin.
 *
 * Flags: ggml-org/llama.cpp `tools/server/README.md@25d5b0c53f9a146f3d7a99a18610d9d623b5041e` (generated
 * from common/arg.cpp by llama-gen-docs) and still listed in later READMEs. `-fa` is never emitted:
 * it changed from a switch to `[on|off|auto]`.
 */
import type { EngineProfile, FlagSource, ProfileImage } from './types';
import { LLAMACPP_MEMORY_CALIBRATION } from './calibration';

/** llama.cpp build pinned for every variant. */
export const LLAMACPP_BUILD = 'b9917';

const README = 'ggml-org/llama.cpp@25d5b0c53f9a146f3d7a99a18610d9d623b5041e:tools/server/README.md';
const DOCKER_DOCS = 'https://github.com/ggml-org/llama.cpp/blob/master/docs/docker.md';
const PACKAGES = 'https://github.com/ggml-org/llama.cpp/pkgs/container/llama.cpp';
const flag = (note: string): FlagSource => ({ source: README, note });

const DOCKER_SOURCE = { url: DOCKER_DOCS, status: 'third-party' as const, note: 'variants :server (CPU, linux/amd64 and arm64), :server-cuda, :server-rocm, immutable server[-variant]-b<build> tags; the server Dockerfiles set ENTRYPOINT ["/app/llama-server"] (read via copies)' };

const image = (target: ProfileImage['target'], cpuArchitecture: ProfileImage['cpuArchitecture'], variant: string, digest: string | undefined, note: string): ProfileImage => ({
  target,
  cpuArchitecture,
  tag: `ghcr.io/ggml-org/llama.cpp:server${variant}-${LLAMACPP_BUILD}`,
  ...(digest ? { digest } : {}),
  entrypoint: ['/app/llama-server'],
  efaLibraries: false,
  sources: [DOCKER_SOURCE, { url: PACKAGES, status: 'third-party', note }],
});

export const LLAMACPP_B9917: EngineProfile = {
  id: `llamacpp-${LLAMACPP_BUILD}`,
  engine: 'llamacpp',
  engineVersion: LLAMACPP_BUILD,
  line: 'upstream',
  images: [
    image('cpu', 'x86_64', '', undefined, 'registry not read here; server-b9917 used in a published Modal example; no digest found'),
    image('cpu', 'arm64', '', undefined, 'registry not read here; the :server variant is published for linux/arm64 too (docs/docker.md); no digest found'),
    image('nvidia', 'x86_64', '-cuda', 'sha256:19b4445dba0f3be11af40386a3409b8ac4bccb275f8ee7728560202f1fe76a6d', 'registry not read here; server-cuda-b9917 seen pinned with this digest in a public repository'),
    image('amd', 'x86_64', '-rocm', 'sha256:a56e8917cc07c37b5730fc98ebac1a39a30ba0acb5ccadf52478f2798d736728', 'registry not read here; server-rocm-b9917 seen pinned with this digest; gfx942 (MI300X) coverage of the build not verified'),
  ],
  flags: {
    '-m': flag('-m, --model FNAME'),
    '--alias': flag('-a, --alias STRING (model name for the API)'),
    '--host': flag('--host HOST (default 127.0.0.1)'),
    '--port': flag('--port PORT'),
    '-c': flag('-c, --ctx-size N (total over all slots)'),
    '-np': flag('-np, --parallel N (slots)'),
    '-t': flag('-t, --threads N'),
    '-ngl': flag('-ngl, --gpu-layers N'),
    '--jinja': flag('--jinja (use the GGUF chat template)'),
    '--numa': flag('--numa TYPE (distribute, isolate, numactl)'),
  },
  launcherFlags: {},
  families: {},
  memoryCalibration: LLAMACPP_MEMORY_CALIBRATION,
  sources: [{ url: PACKAGES, status: 'third-party', note: 'build b9917 is the one build found with published CPU, CUDA and ROCm server tags' }],
};
