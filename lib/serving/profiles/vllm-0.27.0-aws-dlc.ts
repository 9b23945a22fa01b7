/**
 * The AWS Deep Learning Container for vLLM, Amazon Linux 2023 line `server-cuda-v2.3` (vLLM 0.27.0,
 * CUDA 13.0, released 2026-08-17). Unlike the upstream images it ships the EFA installer's libfabric and
 * aws-ofi-nccl (with NIXL and DeepEP), so NCCL runs over EFA's RDMA between nodes. Its vLLM is older
 * than the upstream pin: new enough for V3/R1/V3.1/V3.2 and V4 including 0731/0813 (≥ 0.25.0), not for
 * V4.1 (≥ 0.30.0). The selection in index.ts uses it for multi-node NVIDIA launches over EFA only.
 */
import type { EngineProfile } from './types';
import { RAY_START_FLAGS, VLLM_FAMILIES, VLLM_FLAGS } from './vllm-common';
import { VLLM_MEMORY_CALIBRATION } from './calibration';

const DLC_README = 'https://github.com/aws/deep-learning-containers/blob/master/README.md';
const DLC_VERSIONING = 'https://github.com/aws/deep-learning-containers/blob/master/docs/vllm/versioning.md';
const DLC_CHANGELOG = 'https://github.com/aws/deep-learning-containers/blob/master/docs/vllm/changelog/index.md';

export const VLLM_0_27_0_AWS_DLC: EngineProfile = {
  id: 'vllm-0.27.0-aws-dlc',
  engine: 'vllm',
  engineVersion: '0.27.0',
  line: 'aws-dlc',
  images: [
    {
      target: 'nvidia',
      cpuArchitecture: 'x86_64',
      tag: 'public.ecr.aws/deep-learning-containers/vllm:server-cuda-v2.3',
      // No digest was found in a public record for this tag (the DLC changelog and README list tags only).
      // The tag is AWS's minor tag, which moves to every v2.3.x patch: see mutableTag.
      mutableTag: `server-cuda-v2.3 is AWS's minor tag, "Latest patch in v2.3.x series" (${DLC_VERSIONING}); the documented full-version form (server-cuda-v2.3.0) is "Pinned to exact release", and AWS publishes no digest (${DLC_CHANGELOG} lists tags only)`,
      entrypoint: ['vllm', 'serve'],
      efaLibraries: true,
      sources: [
        { url: DLC_README, status: 'confirmed', note: '"[2026/08/17] vLLM Server v2.3 (AL2023) — EC2: server-cuda-v2.3 · vLLM 0.27.0 (up from 0.26.0)"; no digest published there' },
        { url: DLC_CHANGELOG, status: 'confirmed', note: '"v2.3.0 — 2026-08-17 … Tags: server-cuda-v2.3 · server-sagemaker-cuda-v2.3 … vLLM source: 4bdc8a7 (0.27.0+amzn2023.4bdc8a78)"; tags only, no digest' },
        { url: DLC_VERSIONING, status: 'confirmed', note: 'tag table: "Full version | server-cuda-v1.0.0 | Pinned to exact release"; "Minor | server-cuda-v1.0 | Latest patch in v1.0.x series"; "Use the full version tag … in production for reproducibility"' },
        { url: 'https://aws.github.io/deep-learning-containers/vllm/configuration/', status: 'confirmed', note: '"Pass vLLM server arguments directly to docker run: … vllm:server-cuda --model … --tensor-parallel-size 4"; the image binds localhost unless --host is given' },
        {
          url: 'aws/deep-learning-containers@00a951a389244f190cf54b94c2b2f90458b98503:docker/vllm/Dockerfile.amzn2023',
          status: 'confirmed',
          note: 'the AL2023 vLLM image build: "# install EFA … install_efa_amzn2023.sh ${EFA_VERSION}" (EFA 1.50.0), LD_LIBRARY_PATH with /opt/amazon/ofi-nccl/lib64 and /opt/amazon/efa/lib64, DeepEP from the AWS EFA fork, vLLM requirements/cuda.txt (which carries ray[cgraph]) in the runtime venv; ENTRYPOINT dockerd_entrypoint.sh, which runs `vllm serve "$@"` (scripts/docker/vllm/dockerd_entrypoint.sh). Read at a later commit of the same Dockerfile than the v2.3 build',
        },
      ],
    },
  ],
  flags: VLLM_FLAGS,
  launcherFlags: RAY_START_FLAGS,
  // 0.27.0 ≥ 0.25.0 serves every family in the shared table; V4.1 (≥ 0.30.0) is not offered.
  families: VLLM_FAMILIES,
  memoryCalibration: VLLM_MEMORY_CALIBRATION,
  sources: [{ url: DLC_README, status: 'confirmed', note: 'AL2023 vLLM server line, v2.3 = vLLM 0.27.0 (2026-08-17); v2.4 = 0.27.1 (2026-08-25)' }],
};
