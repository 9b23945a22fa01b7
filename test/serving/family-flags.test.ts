/**
 * Flags per model family, written out by hand from the vLLM recipes (vllm-project/recipes
 * models/deepseek-ai/DeepSeek-V4-Flash.yaml, -V4.1-Flash.yaml, -V3.2.yaml, -R1.yaml) and SGLang launch
 * lines (docs/engines-2026.md §4): tokenizer mode, parsers, block size, the Blackwell FP4 indexer cache
 * and MoE kernel, and speculative decoding (MTP for the preview, DSpark for 0731/0813/V4.1), rendered
 * only when asked for.
 */
import { kvBlockSizeTokens, planServing, renderLaunch } from '../../lib/serving';
import type { LaunchInput } from '../../lib/serving/types';
import {
  DEEPSEEK_R1, DEEPSEEK_V3, DEEPSEEK_V32, DEEPSEEK_V41_FLASH, DEEPSEEK_V4_FLASH, DEEPSEEK_V4_FLASH_0731, DEEPSEEK_V4_PRO_0813, LLAMA_31_8B, launchInput, tokens,
} from './helpers';

const v4 = (overrides: Partial<LaunchInput>): LaunchInput =>
  launchInput({ model: DEEPSEEK_V4_FLASH, modelPath: '/models/v4', servedModelName: 'v4', contextTokens: 65536, kvCacheDtype: 'fp8', kvMaxConcurrency: 40, ...overrides });

describe('vLLM: DeepSeek-V4', () => {
  test('V4-Flash on 8 × B200, TP8 + EP: recipe base_args, parsers, FP4 indexer cache and the FP8 MoE kernel', () => {
    expect(renderLaunch(v4({ gpu: 'b200' })).command).toEqual([
      '--model', '/models/v4',
      '--served-model-name', 'v4',
      '--tensor-parallel-size', '8',
      '--max-model-len', '65536',
      '--max-num-seqs', '1024',
      '--gpu-memory-utilization', '0.9',
      '--kv-cache-dtype', 'fp8',
      '--trust-remote-code',
      '--enable-expert-parallel',
      '--tokenizer-mode', 'deepseek_v4',
      '--tool-call-parser', 'deepseek_v4', '--enable-auto-tool-choice',
      '--reasoning-parser', 'deepseek_v4',
      '--block-size', '256',
      '--attention_config.use_fp4_indexer_cache=True',
      '--moe-backend', 'deep_gemm_mega_moe',
      '--host', '0.0.0.0', '--port', '8000',
    ]);
  });

  test('on H200 (Hopper): no Blackwell-only indexer cache or MoE kernel', () => {
    const t = tokens(renderLaunch(v4({ gpu: 'h200' })).command);
    expect(t).toContain('--block-size');
    expect(t).not.toContain('--attention_config.use_fp4_indexer_cache=True');
    expect(t).not.toContain('--moe-backend');
  });

  test('plain TP (one GPU, no EP): the MoE mega-kernel is left out, as in the recipe\'s single_node_tp', () => {
    const t = tokens(renderLaunch(v4({ gpu: 'b200', gpusPerNode: 1, tensorParallelSize: 1 })).command);
    expect(t).not.toContain('--enable-expert-parallel');
    expect(t).not.toContain('--moe-backend');
  });

  test('bf16 KV differs from the recipe\'s fp8: rendered as planned, with a warning', () => {
    const { launch, notices } = planServing(v4({ gpu: 'b200', kvCacheDtype: 'bf16' }));
    expect(tokens(launch.command)).not.toContain('--kv-cache-dtype');
    expect(notices.find((n) => n.code === 'DSIAC-SRV4')?.message).toContain('--kv-cache-dtype fp8');
  });

  test.each([
    ['preview on B200: MTP, 2 draft tokens', DEEPSEEK_V4_FLASH, 'b200', '{"method":"mtp","num_speculative_tokens":2}'],
    ['preview on H200: MTP, 1 draft token (Hopper override)', DEEPSEEK_V4_FLASH, 'h200', '{"method":"mtp","num_speculative_tokens":1}'],
    ['0731: DSpark, 7 tokens', DEEPSEEK_V4_FLASH_0731, 'b200', '{"method":"dspark","num_speculative_tokens":7,"draft_sample_method":"probabilistic"}'],
    ['Pro-0813: DSpark, 7 tokens', DEEPSEEK_V4_PRO_0813, 'b200', '{"method":"dspark","num_speculative_tokens":7,"draft_sample_method":"probabilistic"}'],
  ] as const)('speculative decoding when asked: %s', (_name, model, gpu, config) => {
    const on = renderLaunch(v4({ model, gpu, speculativeDecoding: true })).command;
    expect(on[on.indexOf('--speculative-config') + 1]).toBe(config);
    expect(renderLaunch(v4({ model, gpu })).command).not.toContain('--speculative-config');
  });
});

describe('vLLM: V4.1, V3.2, R1', () => {
  test('V4.1-Flash: its own tokenizer mode and parsers, no --trust-remote-code (vLLM implements it), DSpark 5 tokens', () => {
    const launch = renderLaunch(launchInput({ model: DEEPSEEK_V41_FLASH, modelPath: '/models/v41', speculativeDecoding: true }));
    const t = tokens(launch.command);
    expect(launch.engineVersion).toBe('0.31.0');
    expect(t).not.toContain('--trust-remote-code');
    expect(launch.command.slice(launch.command.indexOf('--tokenizer-mode'), launch.command.indexOf('--speculative-config'))).toEqual([
      '--tokenizer-mode', 'deepseek_v41', '--tool-call-parser', 'deepseek_v41', '--enable-auto-tool-choice', '--reasoning-parser', 'deepseek_v41',
    ]);
    expect(JSON.parse(launch.command[launch.command.indexOf('--speculative-config') + 1]!)).toEqual({
      method: 'dspark', num_speculative_tokens: 5, draft_sample_method: 'probabilistic', rejection_sample_method: 'block', enable_adaptive_verification: true,
    });
  });

  test('V4.1 on AMD: adaptive verification off (ROCm refuses it)', () => {
    const launch = renderLaunch(launchInput({ model: DEEPSEEK_V41_FLASH, modelPath: '/models/v41', gpuVendor: 'amd', gpu: 'mi300x', speculativeDecoding: true }));
    expect(JSON.parse(launch.command[launch.command.indexOf('--speculative-config') + 1]!).enable_adaptive_verification).toBe(false);
  });

  test('V3.2: deepseek_v32 tokenizer and tool parser, deepseek_v3 reasoning parser, MTP 3 tokens when asked', () => {
    const c = renderLaunch(launchInput({ model: DEEPSEEK_V32, speculativeDecoding: true })).command;
    expect(c.slice(c.indexOf('--tokenizer-mode'))).toEqual([
      '--tokenizer-mode', 'deepseek_v32', '--tool-call-parser', 'deepseek_v32', '--enable-auto-tool-choice', '--reasoning-parser', 'deepseek_v3',
      '--block-size', '64', '--speculative-config', '{"method":"mtp","num_speculative_tokens":3}', '--host', '0.0.0.0', '--port', '8000',
    ]);
  });

  test('block sizes the model requires: V3.2 64 on NVIDIA, 1 on AMD (recipe: --block-size 1 --kv-cache-dtype bfloat16); V4 256', () => {
    const blockOf = (argv: readonly string[]) => { const t = tokens(argv); return t[t.indexOf('--block-size') + 1]; };
    expect(blockOf(renderLaunch(launchInput({ model: DEEPSEEK_V32 })).command)).toBe('64');
    expect(blockOf(renderLaunch(launchInput({ model: DEEPSEEK_V32, gpuVendor: 'amd', gpu: 'mi300x' })).command)).toBe('1');
    expect(blockOf(renderLaunch(launchInput({ model: DEEPSEEK_V4_FLASH_0731, gpu: 'b200' })).command)).toBe('256');
    expect(kvBlockSizeTokens('vllm', DEEPSEEK_V32, 'amd')).toBe(1);
    expect(kvBlockSizeTokens('vllm', DEEPSEEK_V32)).toBe(64);
  });

  test('R1: deepseek_r1 reasoning parser; V3: none; Llama: no DeepSeek flags', () => {
    expect(tokens(renderLaunch(launchInput({ model: DEEPSEEK_R1 })).command)).toEqual(expect.arrayContaining(['--reasoning-parser', 'deepseek_r1', '--trust-remote-code']));
    expect(tokens(renderLaunch(launchInput({ model: DEEPSEEK_V3 })).command)).not.toContain('--reasoning-parser');
    const llama = tokens(renderLaunch(launchInput({ model: LLAMA_31_8B, gpusPerNode: 1, tensorParallelSize: 1 })).command);
    for (const f of ['--trust-remote-code', '--reasoning-parser', '--tokenizer-mode', '--enable-expert-parallel']) expect(llama).not.toContain(f);
  });
});

describe('SGLang families', () => {
  test('V4 on H200: V4 parsers and Marlin for the FP4 experts on Hopper; not on B200', () => {
    // As released (fp4): Marlin runs the MXFP4 experts on Hopper; an FP8 re-quantized checkpoint (fp8) needs no Marlin.
    const h200 = tokens(renderLaunch(v4({ engine: 'sglang', gpu: 'h200', precision: 'fp4' })).command);
    expect(h200).toEqual(expect.arrayContaining(['--tool-call-parser', 'deepseekv4', '--reasoning-parser', 'deepseek-v4', '--moe-runner-backend', 'marlin']));
    expect(tokens(renderLaunch(v4({ engine: 'sglang', gpu: 'h200', precision: 'fp8' })).command)).not.toContain('--moe-runner-backend');
    expect(tokens(renderLaunch(v4({ engine: 'sglang', gpu: 'b200', precision: 'fp4' })).command)).not.toContain('--moe-runner-backend');
  });

  test.each([
    [DEEPSEEK_V4_FLASH, 'EAGLE'],
    [DEEPSEEK_V4_FLASH_0731, 'DSPARK'],
    [DEEPSEEK_V41_FLASH, 'DSPARK'],
    [DEEPSEEK_R1, 'EAGLE'],
  ] as const)('%# speculative algorithm when asked: %s', (model, algorithm) => {
    const t = tokens(renderLaunch(launchInput({ engine: 'sglang', model, modelPath: '/m', speculativeDecoding: true })).command);
    expect(t[t.indexOf('--speculative-algorithm') + 1]).toBe(algorithm);
  });

  test('V4.1 on SGLang renders 0.5.21 (its first stable release with V4.1)', () => {
    expect(renderLaunch(launchInput({ engine: 'sglang', model: DEEPSEEK_V41_FLASH, modelPath: '/m' })).engineVersion).toBe('0.5.21');
  });
});
