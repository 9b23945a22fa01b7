import type { Engine, GpuSpec, ModelArchitecture, Precision } from '../types';
import { engineTraits } from '../serving/engine-traits';
import { notice, type Notice } from '../notices';

/** Whether a precision can run on a GPU with an engine, and what the user should know. */
export interface PrecisionSupport {
  readonly supported: boolean;
  readonly reason: string;
  /**
   * What the user should know when the precision runs, but not at full speed or not as validated.
   * @default none
   */
  readonly warning?: Notice;
}

/**
 * Precision × GPU rules. They read the GPU's capabilities (`nativeFp8`, `nativeFp4`, `weightOnly`,
 * `integerKernels`), never its id, so a new or user-described GPU is judged by what it can do.
 * Sources: the vLLM quantization hardware table (https://docs.vllm.ai/en/v0.11.2/features/quantization/,
 * same in v0.14) and the FP8 page (https://docs.vllm.ai/en/stable/features/quantization/fp8/: Ampere
 * runs FP8 as weight-only W8A16 through Marlin kernels):
 * - FP8 W8A8: Ada, Hopper, Blackwell, AMD CDNA3/4. A100: weight-only, dense models only.
 *   A10G: not offered (the project's support rule: weight-only FP8 Marlin is validated on A100 only).
 * - FP4 (NVFP4 / MXFP4, e.g. DeepSeek-V4's MXFP4 experts): FP4 tensor cores on SM100/SM103/SM120
 *   Blackwell and CDNA4 (MI355X); weight-only W4A16 through Marlin on NVIDIA Ampere/Ada/Hopper
 *   (vLLM's MXFP4/NVFP4 Marlin fallback for GPUs without FP4 tensor cores); refused on CDNA3.
 *   Facts: docs/hardware-2026.md.
 * - INT8 W8A8 and INT4 AWQ/GPTQ: NVIDIA Turing → Hopper; the table marks AMD ❌.
 * - llama.cpp runs GGUF quantizations on CPU: every precision maps to a GGUF type.
 */
export function precisionSupport(gpu: GpuSpec, precision: Precision, engine: Engine, arch?: ModelArchitecture): PrecisionSupport {
  if (precision === 'bf16' || precision === 'fp16') {
    return { supported: true, reason: `${precision} runs natively on ${gpu.name}` };
  }
  if (precision === 'fp8') return fp8Support(gpu, engine, arch);
  if (precision === 'fp4') return fp4Support(gpu);
  // int8 / int4
  if (gpu.integerKernels === 'none') {
    return { supported: false, reason: `${precision} (W8A8 INT8 / AWQ-GPTQ INT4) is not supported on ${gpu.name} in vLLM's quantization table (AMD ❌); use bf16 or fp8` };
  }
  if (gpu.integerKernels === 'unlisted') {
    return { supported: true, reason: `${precision} runs on ${gpu.name} through Marlin kernels`, warning: notice('DSIAC-PLAN6', `vLLM's quantization table lists ${precision} kernels up to Hopper; check your engine build on ${gpu.name}`) };
  }
  return { supported: true, reason: `${precision} kernels (${precision === 'int8' ? 'W8A8 INT8' : 'AWQ/GPTQ Marlin'}) run on ${gpu.name}` };
}

function fp8Support(gpu: GpuSpec, engine: Engine, arch?: ModelArchitecture): PrecisionSupport {
  if (gpu.nativeFp8) return { supported: true, reason: `${gpu.name} has FP8 tensor cores (${gpu.architecture})` };
  if (gpu.weightOnly.fp8 === 'dense' && arch?.moe) {
    // FP8 Marlin is a dense-GEMM kernel: the fused MoE path had no FP8 on Ampere (vllm-project/vllm#7322,
    // #17579; block-wise FP8 MoE: #13885; SGLang: sgl-project/sglang#12887 "fp8e4nv not supported"),
    // and nothing shows the pinned images have it.
    return { supported: false, reason: `FP8 MoE weights do not run on ${gpu.name}: the engines' fused-MoE kernels have no FP8 path on Ampere (vllm-project/vllm#13885, #17579; sgl-project/sglang#12887); use bf16, or int4 (AWQ) on A100` };
  }
  if (gpu.weightOnly.fp8 === 'dense') {
    return {
      supported: true,
      reason: `${gpu.name} runs FP8 checkpoints weight-only (W8A16 Marlin kernels)`,
      warning: notice(
        'DSIAC-PLAN5',
        `FP8 on ${gpu.name} is weight-only (Ampere has no FP8 tensor cores): it saves memory but computes in 16-bit. ` +
          'Dense models only: FP8 Marlin (vllm-project/vllm#5975)' +
          (engineTraits(engine).ampereFp8Advice ? `; ${engineTraits(engine).ampereFp8Advice}` : ''),
      ),
    };
  }
  if (gpu.architecture === 'unknown') return { supported: false, reason: `${gpu.name} has no FP8 tensor cores in its description (add :fp8 to its --local-gpus entry if it has them); use bf16, int8 or int4` };
  return { supported: false, reason: `${gpu.name} (${gpu.architecture}) has no FP8 support; use bf16, int8 or int4` };
}

function fp4Support(gpu: GpuSpec): PrecisionSupport {
  if (gpu.nativeFp4) return { supported: true, reason: `${gpu.name} has FP4 tensor cores (NVFP4/MXFP4 run natively)` };
  if (gpu.weightOnly.fp4) {
    return {
      supported: true,
      reason: `${gpu.name} runs FP4 weights weight-only (W4A16 Marlin kernels)`,
      warning: notice('DSIAC-PLAN5', `FP4 on ${gpu.name} is weight-only (no FP4 tensor cores): the weights stay 4-bit in memory, but the matrix products run in 16-bit through Marlin kernels, so compute-bound phases (prefill) are slower than on FP4 hardware`),
    };
  }
  const why = gpu.architecture === 'unknown' ? 'its description has no FP4 (add :fp4 to its --local-gpus entry if it has FP4 tensor cores)' : gpu.vendor === 'amd' ? 'no FP4 tensor cores and no weight-only FP4 kernel for this AMD generation (MXFP4 needs CDNA4, e.g. MI355X)' : 'no FP4 tensor cores and no weight-only FP4 kernel for this GPU';
  return { supported: false, reason: `FP4 weights do not run on ${gpu.name}: ${why}; use bf16 or fp8` };
}
