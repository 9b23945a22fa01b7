/**
 * SGLang 0.5.21 (2026-10-02), the newest SGLang release confirmed and the first stable one with
 * DeepSeek-V4.1: the CUDA 13 multi-arch image (x86_64 and arm64) and the MI300X/MI325X (gfx942) ROCm
 * image. No EFA libraries in either.
 *
 * Flags. The parser at the v0.5.21 tag was not readable here; they were read in
 * sgl-project/sglang `python/sglang/srt/server_args.py` at 001067ff, a 2026 main that already has the
 * DSPARK speculative algorithm and the V4-Flash-0731 `expert_pack` load format (so at or after the
 * V4.1-era releases), and — for the model-independent ones — also in the ~0.5.6–0.5.8 parser
 * docs/reference-keys.md (engines §0) records. A flag registered at both ends was not removed in between.
 */
import type { EngineProfile, FlagSource } from './types';
import { SGLANG_MEMORY_CALIBRATION } from './calibration';

const SERVER_ARGS = 'sgl-project/sglang@001067fffe33427bee0ed2f007fb7551a1d76b44:python/sglang/srt/server_args.py';
const OLD_PARSER = 'docs/reference-keys.md, engines §0: sgl-project/sglang python/sglang/srt/server_args.py ~v0.5.6–0.5.8';
const V4_COOKBOOK = 'https://docs.sglang.io/cookbook/autoregressive/DeepSeek/DeepSeek-V4';
const REASONING_DOCS = 'https://docs.sglang.io/advanced_features/separate_reasoning.html';
const DP_ATTENTION_DOCS = 'https://docs.sglang.io/basic_usage/deepseek_v3.html (DP attention, multi-node DeepEP) and https://docs.sglang.io/basic_usage/deepseek_v32.html (`--tp 8 --dp 8 --enable-dp-attention`)';

const both = (field: string): FlagSource => ({ source: SERVER_ARGS, note: `ServerArgs.${field}; also registered in the ${OLD_PARSER}` });

const SGLANG_FLAGS: Readonly<Record<string, FlagSource>> = {
  '--model-path': both('model_path (alias --model)'),
  '--served-model-name': both('served_model_name'),
  '--tp-size': both('tp_size (alias --tensor-parallel-size; --tp works only as an argparse prefix)'),
  '--pp-size': both('pp_size (alias --pipeline-parallel-size)'),
  '--dp-size': both('dp_size (alias --data-parallel-size)'),
  '--context-length': both('context_length'),
  '--max-running-requests': both('max_running_requests'),
  '--mem-fraction-static': both('mem_fraction_static'),
  '--kv-cache-dtype': both('kv_cache_dtype (auto, fp8_e5m2, fp8_e4m3, bf16, …; plain fp8 is rejected)'),
  '--dtype': both('dtype'),
  '--quantization': both('quantization (QUANTIZATION_CHOICES includes fp8)'),
  '--trust-remote-code': both('trust_remote_code'),
  '--nnodes': both('nnodes'),
  '--node-rank': both('node_rank'),
  '--dist-init-addr': both('dist_init_addr (alias --nccl-init-addr)'),
  '--host': both('host (default "127.0.0.1")'),
  '--port': both('port (default 30000)'),
  '--api-key': both('api_key'),
  '--reasoning-parser': { source: SERVER_ARGS, note: 'ServerArgs.reasoning_parser (choices from the ReasoningParser registry at runtime)' },
  '--tool-call-parser': { source: SERVER_ARGS, note: 'ServerArgs.tool_call_parser (choices from the FunctionCallParser registry at runtime)' },
  '--moe-runner-backend': { source: SERVER_ARGS, note: 'ServerArgs.moe_runner_backend, choices MOE_RUNNER_BACKEND_CHOICES (auto, deep_gemm, triton, …, marlin, …)' },
  '--enable-dp-attention': { source: SERVER_ARGS, note: `ServerArgs.enable_dp_attention (store_true; attention TP = tp_size ÷ dp_size). Launch form \`--tp 8 --dp 8 --enable-dp-attention\`: ${DP_ATTENTION_DOCS}; also in SGLang's own tests (test/srt: "--tp", "2", "--enable-dp-attention", "--dp", "2")` },
  '--moe-a2a-backend': { source: SERVER_ARGS, note: `ServerArgs.moe_a2a_backend (none, deepep, mooncake, …; deepep sets ep_size = tp_size). Multi-node DeepSeek with DP attention: \`--moe-a2a-backend deepep\` (${DP_ATTENTION_DOCS}; SGLang tests: "--tp", "16", "--dp-size", "16", "--enable-dp-attention", "--moe-a2a-backend", "deepep")` },
  '--speculative-algorithm': { source: SERVER_ARGS, note: 'ServerArgs.speculative_algorithm: "Builtins: EAGLE, EAGLE3, NEXTN, STANDALONE, NGRAM, DFLASH, DSPARK"; unset step counts are chosen automatically' },
};

/** SGLang's MTP path for DeepSeek: the EAGLE algorithm on the checkpoint's own MTP head (no draft path). */
const MTP = { draft: 'mtp', args: ['--speculative-algorithm', 'EAGLE'], source: 'docs/reference-keys.md, engines §7 (SGLang: MTP via --speculative-algorithm EAGLE, no draft model path for DeepSeek, step counts chosen by auto_choose_speculative_params)' } as const;
const DSPARK = { draft: 'dspark', args: ['--speculative-algorithm', 'DSPARK'], source: `${SERVER_ARGS} (DSPARK builtin; speculative_dspark_block_size: "Omit to auto-infer gamma from the draft checkpoint block_size")` } as const;
/** Hopper and Ampere run V4's FP4 experts weight-only through Marlin (AWS ran V4-Pro on 2 × p5 with Marlin MoE; "required on sm80"). */
const V4_MARLIN = [{ architectures: ['hopper', 'ampere'], precisions: ['fp4'], args: ['--moe-runner-backend', 'marlin'], source: `${V4_COOKBOOK}; docs/engines-2026.md §4 (AWS: V4-Pro TP16 over 2 × p5.48xlarge with Marlin MoE in its SGLang DLC)` }] as const;
const V4_PARSERS = { toolCallParser: 'deepseekv4', reasoningParser: 'deepseek-v4' } as const;

export const SGLANG_0_5_21: EngineProfile = {
  id: 'sglang-0.5.21',
  engine: 'sglang',
  engineVersion: '0.5.21',
  line: 'upstream',
  images: [
    ...(['x86_64', 'arm64'] as const).map((cpuArchitecture) => ({
      target: 'nvidia' as const,
      cpuArchitecture,
      tag: 'lmsysorg/sglang:v0.5.21',
      // A multi-arch index: the same digest resolves to the x86_64 or the arm64 image.
      digest: 'sha256:b1259f3ea3275f66237c498ea388919729018bc9f01c3d638391e06e2cf3f469',
      // The CUDA base image's entrypoint runs its arguments; the command names python3 -m sglang.launch_server.
      entrypoint: null,
      efaLibraries: false,
      sources: [
        { url: 'https://hub.docker.com/r/lmsysorg/sglang/tags?name=v0.5.21', status: 'third-party' as const, note: 'registry not read here; "lmsysorg/sglang:v0.5.21 (multi-arch index) | SGLang 0.5.21 | CUDA 13.0 | 2026-10-01 | sha256:b1259f3e…" in a public note whose digests were "read from the registries"; CUDA 13 only since 0.5.20' },
      ],
    })),
    {
      target: 'amd',
      cpuArchitecture: 'x86_64',
      tag: 'lmsysorg/sglang:v0.5.21-rocm10-mi30x',
      // No digest was found in a public record for this tag.
      entrypoint: null,
      efaLibraries: false,
      sources: [
        { url: 'https://github.com/sgl-project/sglang/releases/tag/v0.5.21', status: 'third-party', note: 'release image table as quoted publicly: "AMD MI30x | lmsysorg/sglang:v0.5.21-rocm10-mi30x" (MI35x: -rocm10-mi35x); also run as `docker run … lmsysorg/sglang:v0.5.21-rocm10-mi30x` in a public guide. No digest found. ROCm 10 userspace: check the host driver' },
      ],
    },
  ],
  flags: SGLANG_FLAGS,
  launcherFlags: {},
  families: {
    'deepseek-v2': { trustRemoteCode: true, expertParallelWithTp: false, sources: ['DeepSeek-V2 configs ship custom code'] },
    'deepseek-v3': { trustRemoteCode: true, expertParallelWithTp: false, speculative: MTP, sources: ['https://docs.sglang.io/docs/basic_usage/deepseek_v3.md (--trust-remote-code)'] },
    'deepseek-r1': { trustRemoteCode: true, reasoningParser: 'deepseek-r1', expertParallelWithTp: false, speculative: MTP, sources: [REASONING_DOCS] },
    'deepseek-v3.1': { trustRemoteCode: true, expertParallelWithTp: false, speculative: MTP, sources: ['https://docs.sglang.io/docs/basic_usage/deepseek_v3.md'] },
    'deepseek-v3.2': { trustRemoteCode: true, expertParallelWithTp: false, speculative: MTP, sources: ['https://docs.sglang.io/basic_usage/deepseek_v32.html'] },
    'deepseek-v4': { trustRemoteCode: true, ...V4_PARSERS, moeBackend: V4_MARLIN, expertParallelWithTp: false, speculative: MTP, sources: [V4_COOKBOOK, 'public SGLang V4 launch lines: --reasoning-parser deepseek-v4 --tool-call-parser deepseekv4 (docs/engines-2026.md §4)'] },
    'deepseek-v4-dspark': { trustRemoteCode: true, ...V4_PARSERS, moeBackend: V4_MARLIN, expertParallelWithTp: false, speculative: DSPARK, sources: [V4_COOKBOOK] },
    'deepseek-v4.1': { trustRemoteCode: true, expertParallelWithTp: false, speculative: DSPARK, sources: ['https://docs.sglang.io/cookbook/autoregressive/DeepSeek/DeepSeek-V4_1 (DSpark three-stage draft; parser names for V4.1 not found, none emitted)'] },
    'deepseek-r1-distill': { trustRemoteCode: false, reasoningParser: 'deepseek-r1', expertParallelWithTp: false, sources: [`${REASONING_DOCS} (launch_server --model-path deepseek-ai/DeepSeek-R1-Distill-Qwen-7B --reasoning-parser deepseek-r1)`] },
  },
  memoryCalibration: SGLANG_MEMORY_CALIBRATION,
  sources: [{ url: 'https://github.com/sgl-project/sglang/releases/tag/v0.5.21', status: 'third-party', note: 'released 2026-10-02; first stable release with DeepSeek-V4.1' }],
};
