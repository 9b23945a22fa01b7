import type { Engine, GpuSpec, ModelArchitecture, Precision } from '../types';

/** Whether a precision can run on a GPU with an engine, and what the user should know. */
export interface PrecisionSupport {
  readonly supported: boolean;
  readonly reason: string;
  readonly warning?: string;
}

/**
 * Precision × GPU rules, from the vLLM quantization hardware table
 * (https://docs.vllm.ai/en/v0.11.2/features/quantization/, same in v0.14) and the FP8 page
 * (https://docs.vllm.ai/en/stable/features/quantization/fp8/: Ampere runs FP8 as weight-only W8A16
 * through Marlin kernels):
 * - FP8 W8A8: Ada, Hopper, Blackwell, AMD CDNA3. A100: weight-only (memory saving, no FP8 compute).
 *   A10G: not offered (the project's support rule: weight-only FP8 Marlin is validated on A100 only).
 * - INT8 W8A8 and INT4 AWQ/GPTQ: NVIDIA Turing → Hopper; the table marks AMD ❌.
 * - llama.cpp runs GGUF quantizations on CPU: every precision maps to a GGUF type.
 */
export function precisionSupport(gpu: GpuSpec, precision: Precision, engine: Engine, arch?: ModelArchitecture): PrecisionSupport {
  if (precision === 'bf16' || precision === 'fp16') {
    return { supported: true, reason: `${precision} runs natively on ${gpu.name}` };
  }
  if (precision === 'fp8') {
    if (gpu.nativeFp8) return { supported: true, reason: `${gpu.name} has FP8 tensor cores (${gpu.architecture})` };
    if ((gpu.id === 'a100-40gb' || gpu.id === 'a100-80gb') && arch?.moe) {
      // FP8 Marlin is a dense-GEMM kernel: the fused MoE path had no FP8 on Ampere (vllm-project/vllm#7322,
      // #17579; block-wise FP8 MoE: #13885; SGLang: sgl-project/sglang#12887 "fp8e4nv not supported"),
      // and nothing shows the pinned images have it.
      return { supported: false, reason: `FP8 MoE weights do not run on ${gpu.name}: the engines' fused-MoE kernels have no FP8 path on Ampere (vllm-project/vllm#13885, #17579; sgl-project/sglang#12887); use bf16, or int4 (AWQ) on A100` };
    }
    if (gpu.id === 'a100-40gb' || gpu.id === 'a100-80gb') {
      return {
        supported: true,
        reason: `${gpu.name} runs FP8 checkpoints weight-only (W8A16 Marlin kernels)`,
        warning:
          `FP8 on ${gpu.name} is weight-only (Ampere has no FP8 tensor cores): it saves memory but computes in 16-bit. ` +
          'Dense models only: FP8 Marlin (vllm-project/vllm#5975)' +
          (engine === 'sglang' ? '; SGLang recommends BF16, INT8 or AWQ on A100 instead' : ''),
      };
    }
    return { supported: false, reason: `${gpu.name} (${gpu.architecture}) has no FP8 support; use bf16, int8 or int4` };
  }
  if (precision === 'fp4') return fp4Support(gpu, arch);
  // int8 / int4
  if (gpu.vendor === 'amd') {
    return { supported: false, reason: `${precision} (W8A8 INT8 / AWQ-GPTQ INT4) is not supported on AMD GPUs in vLLM's quantization table; use bf16 or fp8 on ${gpu.name}` };
  }
  if (gpu.architecture === 'blackwell') {
    return { supported: true, reason: `${precision} runs on ${gpu.name} through Marlin kernels`, warning: `vLLM's quantization table lists ${precision} kernels up to Hopper; check your engine build on ${gpu.name}` };
  }
  return { supported: true, reason: `${precision} kernels (${precision === 'int8' ? 'W8A8 INT8' : 'AWQ/GPTQ Marlin'}) run on ${gpu.name}` };
}

/**
 * FP4 (MXFP4/NVFP4) weights: native FP4 tensor cores on Blackwell; weight-only through Marlin kernels
 * on Hopper, Ada and Ampere (DeepSeek-V4's FP4 experts run that way on H200: docs/deepseek-2026-models.md §4);
 * not on CDNA3 (MI300X has no FP4, and vLLM's V4 recipe does not support MI300X).
 */
function fp4Support(gpu: GpuSpec, arch?: ModelArchitecture): PrecisionSupport {
  const what = arch?.releasedQuantization?.routedExpertFormat === 'mxfp4' ? 'the released MXFP4 experts' : 'an NVFP4/MXFP4 checkpoint';
  if (gpu.vendor === 'amd') return { supported: false, reason: `FP4 weights do not run on ${gpu.name} (${gpu.architecture} has no FP4 support); use fp8 or bf16` };
  if (gpu.architecture === 'blackwell') return { supported: true, reason: `${gpu.name} runs ${what} on its FP4 tensor cores` };
  return {
    supported: true,
    reason: `${gpu.name} runs ${what} weight-only through Marlin kernels`,
    warning: `FP4 on ${gpu.name} (${gpu.architecture}) is weight-only (Marlin): it saves memory but computes in 16-bit; an FP8 re-quantized checkpoint is the alternative`,
  };
}
