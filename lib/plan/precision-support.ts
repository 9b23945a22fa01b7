import type { Engine, GpuSpec, ModelArchitecture, Precision } from '../types';
import { engineTraits } from '../serving/engine-traits';

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
          (engineTraits(engine).ampereFp8Advice ? `; ${engineTraits(engine).ampereFp8Advice}` : ''),
      };
    }
    return { supported: false, reason: `${gpu.name} (${gpu.architecture}) has no FP8 support; use bf16, int8 or int4` };
  }
  // int8 / int4
  if (gpu.vendor === 'amd') {
    return { supported: false, reason: `${precision} (W8A8 INT8 / AWQ-GPTQ INT4) is not supported on AMD GPUs in vLLM's quantization table; use bf16 or fp8 on ${gpu.name}` };
  }
  if (gpu.architecture === 'blackwell') {
    return { supported: true, reason: `${precision} runs on ${gpu.name} through Marlin kernels`, warning: `vLLM's quantization table lists ${precision} kernels up to Hopper; check your engine build on ${gpu.name}` };
  }
  return { supported: true, reason: `${precision} kernels (${precision === 'int8' ? 'W8A8 INT8' : 'AWQ/GPTQ Marlin'}) run on ${gpu.name}` };
}
