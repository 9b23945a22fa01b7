import type { ModelArchitecture, Precision } from '../types';
import { countParams } from './params';
import { checkpointBytes, releasedWithFp4Experts, weightBytes } from './weights';

const GiB = 2 ** 30;
/** Floor for the weights volume, GiB: room for a second checkpoint or a re-download (DEVELOPERS.md). */
export const MIN_VOLUME_GIB = 500;
/** Extra room over the checkpoint: partial-download files and the Hugging Face cache's metadata. */
export const VOLUME_HEADROOM = 1.15;

/** Which checkpoint a deployment downloads, and why. */
export interface CheckpointChoice {
  readonly bytes: number;
  readonly kind: 'released' | 'bf16-conversion' | 'pre-quantized';
  readonly reason: string;
}

/**
 * The checkpoint that must be stored to serve `precision`:
 * - the release itself when it already has that precision (V3/R1 FP8; BF16 models at bf16/fp16),
 *   or when the engine quantizes it online at load (a BF16 release served at fp8);
 * - a BF16 conversion of an FP8 release (DeepSeek's fp8_cast_bf16.py; "over 1.3 TB" for V3);
 * - a pre-quantized checkpoint (W8A8 int8, AWQ/GPTQ int4, NVFP4/MXFP4 fp4, or an FP8 re-quantization
 *   of an FP4-expert release such as sgl-project/DeepSeek-V4-Flash-FP8): about the GPU-resident size.
 * A release with FP4 experts (DeepSeek-V4/V4.1) served at fp4 is the release itself.
 */
export function checkpointFor(arch: ModelArchitecture, precision: Precision): CheckpointChoice {
  const released = checkpointBytes(arch);
  const fp8Release = arch.releasedQuantization?.method === 'fp8';
  const fp4Release = releasedWithFp4Experts(arch);
  if (precision === 'int8' || precision === 'int4') {
    return { bytes: weightBytes(arch, precision), kind: 'pre-quantized', reason: `${precision} serves a pre-quantized checkpoint (${precision === 'int8' ? 'W8A8' : 'AWQ/GPTQ group-128'}); its size is the quantized weights` };
  }
  if (precision === 'fp4') {
    if (fp4Release) return { bytes: released, kind: 'released', reason: 'the checkpoint as released (MXFP4 experts, FP8 rest, draft layers included)' };
    return { bytes: weightBytes(arch, 'fp4'), kind: 'pre-quantized', reason: 'fp4 serves an NVFP4/MXFP4 checkpoint; its size is the quantized weights' };
  }
  if (fp4Release && precision === 'fp8') {
    return { bytes: weightBytes(arch, 'fp8'), kind: 'pre-quantized', reason: 'the release has FP4 experts; fp8 serves an FP8 re-quantized checkpoint (e.g. sgl-project/DeepSeek-V4-Flash-FP8); its size is the quantized weights' };
  }
  if (fp8Release && precision !== 'fp8') {
    const p = countParams(arch);
    return { bytes: (p.total + p.mtpUnique + p.mtpSharedCopies + p.memoryParams) * 2, kind: 'bf16-conversion', reason: `the release is ${fp4Release ? 'FP4/FP8' : 'FP8'}; ${precision} needs a 16-bit conversion of it (2 bytes per parameter, MTP and Engram included)` };
  }
  if (!fp8Release && precision === 'fp8') {
    return { bytes: released, kind: 'released', reason: 'the engine quantizes the 16-bit release to FP8 while loading, so the 16-bit checkpoint is stored' };
  }
  return { bytes: released, kind: 'released', reason: 'the checkpoint as released' };
}

/** Data volume size for a checkpoint: ≥ 500 GiB and ≥ 1.15 × checkpoint, rounded up to 10 GiB. */
export function volumeGiBFor(checkpointBytesValue: number): number {
  const needed = Math.ceil((checkpointBytesValue * VOLUME_HEADROOM) / GiB / 10) * 10;
  return Math.max(MIN_VOLUME_GIB, needed);
}
