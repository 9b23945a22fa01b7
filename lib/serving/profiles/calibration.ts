/**
 * Which engine version the memory model's constants were fitted on. The constants themselves live in
 * lib/sizing/engine-memory.ts (VLLM_ACTIVATION, VLLM_NON_TORCH_GIB) and their start-up logs in
 * docs/calibration.md: vLLM's activation and non-torch terms were fitted on vLLM 0.19.0 logs (H100);
 * SGLang's pool (budget − weights) is an equation, not a fit, checked on SGLang ~0.4.1–0.4.9 logs;
 * llama.cpp is sized from RAM.
 */
import type { MemoryCalibration } from './types';

export const VLLM_MEMORY_CALIBRATION: MemoryCalibration = {
  fittedOnEngineVersion: '0.19.0',
  source: 'lib/sizing/engine-memory.ts (VLLM_ACTIVATION, VLLM_NON_TORCH_GIB: "Fitted on the vLLM 0.19.0 H100 sweep"); docs/calibration.md',
};

export const SGLANG_MEMORY_CALIBRATION: MemoryCalibration = {
  source: 'lib/sizing/engine-memory.ts (SGLang: KV pool = visible × mem-fraction-static − weights, no fitted constant; checked on SGLang ~0.4.1–0.4.9 logs in docs/calibration.md)',
};

export const LLAMACPP_MEMORY_CALIBRATION: MemoryCalibration = {
  source: 'lib/plan/cpu.ts (llama.cpp is sized from host RAM, no fitted engine constant)',
};
