/**
 * Weight-loading flags derived from the checkpoint and the served precision (shared by vLLM and SGLang).
 */
import type { Precision } from '../types';
import type { FamilyFlags } from './profiles/types';
import type { LaunchInput } from './types';

/** Weight-loading flags of a launch. */
export interface CheckpointArgs {
  /** The family's configs ship custom code (`--trust-remote-code`), per the engine profile's family flags. */
  readonly trustRemoteCode: boolean;
  /** FP8 served from a checkpoint that is not already FP8: quantize weights at load time (`--quantization fp8`). */
  readonly onlineFp8: boolean;
  /** `--dtype` when the served 16-bit precision differs from the checkpoint's native dtype. */
  readonly dtype?: 'bfloat16' | 'float16';
}

/**
 * Decide the checkpoint flags. int8/int4 add nothing: the user points modelPath at a pre-quantized
 * checkpoint (AWQ/GPTQ/W8A8) whose config carries `quantization_config`, which both engines read.
 * DeepSeek's released FP8 checkpoint also adds nothing (SGLang: "you should not run it with any
 * quantization arguments like --quantization fp8", https://docs.sglang.io/docs/basic_usage/deepseek_v3.md).
 */
export function checkpointArgs(input: LaunchInput, family?: FamilyFlags): CheckpointArgs {
  const model = input.model;
  const nativeFp8 = model.releasedQuantization?.method === 'fp8';
  const sixteenBit: Partial<Record<Precision, 'bfloat16' | 'float16'>> = { bf16: 'bfloat16', fp16: 'float16' };
  const wanted = sixteenBit[input.precision];
  const dtype = wanted !== undefined && input.precision !== model.nativeDtype ? wanted : undefined;
  return {
    trustRemoteCode: family?.trustRemoteCode ?? false,
    onlineFp8: input.precision === 'fp8' && !nativeFp8,
    ...(dtype ? { dtype } : {}),
  };
}
