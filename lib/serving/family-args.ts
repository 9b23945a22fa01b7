/**
 * The model-family part of an engine command: parsers, tokenizer mode, block size, attention and MoE
 * backends, speculative decoding, as the chosen profile lists them for the family (profiles/*.ts carry
 * the sources). vLLM and SGLang spell the same settings differently; both read the same table shape.
 */
import { GPUS } from '../catalog/gpus';
import type { GpuArchitecture } from '../types';
import type { ArchitectureFlags, FamilyFlags } from './profiles/types';
import type { LaunchInput } from './types';

/** The GPU architecture of the launch, when it runs on a catalog GPU. */
export function gpuArchitectureOf(input: LaunchInput): GpuArchitecture | undefined {
  return input.gpu === undefined || input.gpu === 'cpu' || input.gpu === 'custom' ? undefined : GPUS[input.gpu]?.architecture;
}

function forArchitecture(flags: readonly ArchitectureFlags[] | undefined, arch: GpuArchitecture | undefined, precision?: string): string[] {
  if (!flags || !arch) return [];
  return flags.filter((f) => f.architectures.includes(arch) && (!f.precisions || (precision !== undefined && f.precisions.includes(precision)))).flatMap((f) => [...f.args]);
}

/** Speculative-decoding words for the launch's hardware, or none when it was not asked for. */
export function speculativeArgs(input: LaunchInput, family: FamilyFlags | undefined): string[] {
  const spec = family?.speculative;
  if (!input.speculativeDecoding || !spec) return [];
  if (input.gpuVendor === 'amd' && spec.amdArgs) return [...spec.amdArgs];
  if (gpuArchitectureOf(input) === 'hopper' && spec.hopperArgs) return [...spec.hopperArgs];
  return [...spec.args];
}

/** vLLM's family words: tokenizer mode, parsers, block size, attention config, MoE backend (with EP), speculative config. */
export function vllmFamilyArgs(input: LaunchInput, family: FamilyFlags | undefined, expertParallel: boolean): string[] {
  if (!family) return [];
  const arch = gpuArchitectureOf(input);
  const args: string[] = [];
  if (family.tokenizerMode) args.push('--tokenizer-mode', family.tokenizerMode);
  if (family.toolCallParser) args.push('--tool-call-parser', family.toolCallParser, '--enable-auto-tool-choice');
  if (family.reasoningParser) args.push('--reasoning-parser', family.reasoningParser);
  const block = input.gpuVendor === 'amd' && family.amdBlockSizeTokens !== undefined ? family.amdBlockSizeTokens : family.blockSizeTokens;
  if (block !== undefined) args.push('--block-size', String(block));
  if (family.attention) args.push(...forArchitecture([family.attention], arch));
  // The recipes add the MoE mega-kernel to the TP+EP and DP+EP strategies only, not to plain TP.
  if (expertParallel) args.push(...forArchitecture(family.moeBackend, arch));
  args.push(...speculativeArgs(input, family));
  return args;
}

/** SGLang's family words: parsers, MoE runner backend, speculative algorithm. */
export function sglangFamilyArgs(input: LaunchInput, family: FamilyFlags | undefined): string[] {
  if (!family) return [];
  const args: string[] = [];
  if (family.toolCallParser) args.push('--tool-call-parser', family.toolCallParser);
  if (family.reasoningParser) args.push('--reasoning-parser', family.reasoningParser);
  args.push(...forArchitecture(family.moeBackend, gpuArchitectureOf(input), input.precision));
  args.push(...speculativeArgs(input, family));
  return args;
}
