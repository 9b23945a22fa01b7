/**
 * Engine profiles: the pins the issue asks for (vLLM 0.31.0, SGLang 0.5.21, their ROCm counterparts,
 * per CPU architecture), immutable tags with digests where a public record has one, families and
 * minimum versions (vLLM recipes: V4 0.20.0, 0731/0813 0.25.0, V4.1 0.30.0; SGLang V4.1 0.5.21), the
 * EFA image choice for multi-node AWS, and the memory-calibration version warning (fitted on vLLM 0.19.0).
 */
import {
  ENGINE_PROFILES, MIN_ENGINE_VERSION, PINNED_PROFILES, compareVersions, familyOf, imageReference, kvBlockSizeTokens, planServing, renderLaunch, selectProfile,
} from '../../lib/serving';
import { PlanError } from '../../lib/errors';
import {
  DEEPSEEK_R1, DEEPSEEK_V3, DEEPSEEK_V32, DEEPSEEK_V41_FLASH, DEEPSEEK_V4_FLASH, DEEPSEEK_V4_FLASH_0731, DEEPSEEK_V4_PRO_0813, IMAGES, LLAMA_31_8B, launchInput,
} from './helpers';

describe('profiles', () => {
  test('the pinned releases are the latest confirmed ones (docs/engines-2026.md §2)', () => {
    expect(PINNED_PROFILES.vllm.engineVersion).toBe('0.31.0');
    expect(PINNED_PROFILES.sglang.engineVersion).toBe('0.5.21');
    expect(PINNED_PROFILES.llamacpp.engineVersion).toBe('b9917');
  });

  const images = ENGINE_PROFILES.flatMap((p) => p.images.map((i) => [p.id, i.target, i.cpuArchitecture, i] as const));
  test.each(images)('%s %s/%s: immutable tag, digest or a source that says why not, sourced', (_id, _t, _c, image) => {
    const tag = image.tag.slice(image.tag.lastIndexOf(':') + 1);
    expect(tag).not.toMatch(/^(latest|nightly|server|server-cuda|server-rocm|server-cuda-v\d+)$/);
    if (image.digest) expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    else expect(image.sources.map((s) => s.note ?? '').join(' ')).toMatch(/no digest|No digest/);
    expect(image.sources.length).toBeGreaterThan(0);
    for (const s of image.sources) expect(s.url).toMatch(/^(https:\/\/|[\w.-]+\/[\w.-]+@)/);
  });

  test('every profile names its flag sources and the engine version its memory constants were fitted on', () => {
    for (const p of ENGINE_PROFILES) {
      expect(Object.keys(p.flags).length).toBeGreaterThan(5);
      for (const [flag, src] of Object.entries(p.flags)) {
        expect(flag).toMatch(/^-{1,2}[a-z]/);
        expect(src.source).not.toBe('');
        expect(src.note).not.toBe('');
      }
      expect(p.memoryCalibration.source).toMatch(/lib\/(sizing|plan)\//);
    }
    // lib/sizing/engine-memory.ts: "Fitted on the vLLM 0.19.0 H100 sweep".
    expect(PINNED_PROFILES.vllm.memoryCalibration.fittedOnEngineVersion).toBe('0.19.0');
  });

  test.each([
    ['vllm', 'nvidia', 'x86_64', IMAGES.vllmNvidia],
    ['vllm', 'nvidia', 'arm64', IMAGES.vllmNvidiaArm64],
    ['vllm', 'amd', 'x86_64', IMAGES.vllmRocm],
    ['sglang', 'nvidia', 'x86_64', IMAGES.sglangNvidia],
    ['sglang', 'nvidia', 'arm64', IMAGES.sglangNvidia],
    ['sglang', 'amd', 'x86_64', IMAGES.sglangRocm],
    ['llamacpp', 'cpu', 'arm64', IMAGES.llamacppCpu],
  ] as const)('%s on %s/%s → %s', (engine, target, cpuArchitecture, image) => {
    const choice = selectProfile({ engine, target, cpuArchitecture, model: DEEPSEEK_V3, nodes: 1 });
    expect(imageReference(choice.image)).toBe(image);
  });

  test('no ROCm image for arm64: a PlanError naming the field and what exists', () => {
    expect(() => selectProfile({ engine: 'vllm', target: 'amd', cpuArchitecture: 'arm64', model: DEEPSEEK_V3, nodes: 1 })).toThrow(PlanError);
    try {
      selectProfile({ engine: 'vllm', target: 'amd', cpuArchitecture: 'arm64', model: DEEPSEEK_V3, nodes: 1 });
    } catch (e) {
      expect((e as PlanError).issues[0]).toMatchObject({ path: 'cpuArchitecture', message: expect.stringContaining('nvidia/arm64') });
    }
  });
});

describe('families and minimum versions', () => {
  test.each([
    [DEEPSEEK_V3, 'deepseek-v3'],
    [DEEPSEEK_R1, 'deepseek-r1'],
    [{ id: 'deepseek-v3.1-terminus', modelType: 'deepseek_v3' }, 'deepseek-v3.1'],
    [DEEPSEEK_V32, 'deepseek-v3.2'],
    [DEEPSEEK_V4_FLASH, 'deepseek-v4'],
    [{ id: 'deepseek-v4-pro', modelType: 'deepseek_v4' }, 'deepseek-v4'],
    [DEEPSEEK_V4_FLASH_0731, 'deepseek-v4-dspark'],
    [DEEPSEEK_V4_PRO_0813, 'deepseek-v4-dspark'],
    [DEEPSEEK_V41_FLASH, 'deepseek-v4.1'],
    [{ id: 'deepseek-r1-distill-llama-70b', modelType: 'llama' }, 'deepseek-r1-distill'],
    [{ id: 'deepseek-v2-lite', modelType: 'deepseek_v2' }, 'deepseek-v2'],
    [LLAMA_31_8B, 'other'],
  ] as const)('%# %s', (model, family) => {
    expect(familyOf(model)).toBe(family);
  });

  test('the recipes\' minimums: V4 0.20.0, 0731/0813 0.25.0 (ROCm 0.26.0), V4.1 0.30.0; SGLang V4.1 0.5.21', () => {
    expect(MIN_ENGINE_VERSION.vllm['deepseek-v4']?.version).toBe('0.20.0');
    expect(MIN_ENGINE_VERSION.vllm['deepseek-v4-dspark']).toMatchObject({ version: '0.25.0', amdVersion: '0.26.0' });
    expect(MIN_ENGINE_VERSION.vllm['deepseek-v4.1']?.version).toBe('0.30.0');
    expect(MIN_ENGINE_VERSION.sglang['deepseek-v4.1']?.version).toBe('0.5.21');
  });

  test('version order is numeric, not lexical', () => {
    expect(compareVersions('0.27.0', '0.30.0')).toBe(-1);
    expect(compareVersions('0.5.21', '0.5.3')).toBe(1);
    expect(compareVersions('0.31.0', '0.31.0')).toBe(0);
  });

  test.each([
    ['vllm', DEEPSEEK_V41_FLASH, '0.30.0'],
    ['sglang', DEEPSEEK_V41_FLASH, '0.5.21'],
    ['vllm', DEEPSEEK_V4_FLASH_0731, '0.25.0'],
    ['vllm', DEEPSEEK_V4_PRO_0813, '0.25.0'],
  ] as const)('%s renders %s at ≥ %s, single node and over EFA', (engine, model, min) => {
    for (const nodes of [1, 2]) {
      const launch = renderLaunch(launchInput({ engine, model, modelPath: `/models/${model.id}`, nodes, interconnect: 'efa', pipelineParallelSize: engine === 'vllm' ? nodes : 1, tensorParallelSize: engine === 'vllm' ? 8 : 8 * nodes, contextTokens: 32768 }));
      expect(compareVersions(launch.engineVersion, min)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('multi-node over EFA prefers an image with the EFA libraries', () => {
  const twoNodes = { nodes: 2, tensorParallelSize: 8, pipelineParallelSize: 2, interconnect: 'efa' as const };

  test('R1 (needs vLLM ≥ 0.12.0): the AWS vLLM container, 0.27.0, with EFA libraries; no EFA warning', () => {
    const { launch, decisions, notices } = planServing(launchInput({ ...twoNodes, model: DEEPSEEK_R1, modelPath: '/models/deepseek-r1' }));
    expect(launch.image).toBe(IMAGES.vllmAwsDlc);
    expect(launch.engineVersion).toBe('0.27.0');
    expect(launch.profile).toBe('vllm-0.27.0-aws-dlc');
    expect(launch.efaLibraries).toBe(true);
    expect(launch.env.FI_PROVIDER).toBe('efa');
    expect(decisions.find((d) => d.field === 'serving.image')?.reason).toMatch(/libfabric.*aws-ofi-nccl/);
    expect(notices.map((n) => n.code)).not.toContain('DSIAC-SRV1');
    expect(notices.map((n) => n.message).join(' ')).not.toMatch(/EFA libraries/);
  });

  test('V4-Flash-0731 (needs 0.25.0): the AWS container (0.27.0) serves it', () => {
    const { launch } = planServing(launchInput({ ...twoNodes, model: DEEPSEEK_V4_FLASH_0731, modelPath: '/models/v4' }));
    expect(launch.profile).toBe('vllm-0.27.0-aws-dlc');
  });

  test('V4.1 (needs 0.30.0): the container is too old; the pinned 0.31.0 image with a warning saying what is lost', () => {
    const { launch, notices } = planServing(launchInput({ ...twoNodes, model: DEEPSEEK_V41_FLASH, modelPath: '/models/v41' }));
    expect(launch.image).toBe(IMAGES.vllmNvidia);
    expect(launch.efaLibraries).toBe(false);
    const w = notices.find((n) => n.code === 'DSIAC-SRV1')?.message;
    expect(w).toMatch(/^no image with EFA libraries/);
    expect(w).toContain('vllm 0.27.0');
    expect(w).toContain('needs ≥ 0.30.0');
    expect(w).toMatch(/TCP sockets/);
    expect(w).toMatch(/RDMA/);
  });

  test('SGLang has no pinned EFA image: stock image and the warning', () => {
    const { launch, notices } = planServing(launchInput({ engine: 'sglang', nodes: 2, tensorParallelSize: 16, interconnect: 'efa' }));
    expect(launch.image).toBe(IMAGES.sglangNvidia);
    expect(notices.find((n) => n.code === 'DSIAC-SRV1')?.message).toContain('none is pinned for sglang');
  });

  test('InfiniBand (local clusters) and single nodes keep the upstream image', () => {
    expect(renderLaunch(launchInput({ ...twoNodes, interconnect: 'infiniband' })).image).toBe(IMAGES.vllmNvidia);
    expect(renderLaunch(launchInput({ interconnect: 'efa' })).image).toBe(IMAGES.vllmNvidia);
  });
});

describe('memory calibration version', () => {
  test('vLLM plans warn that the constants were fitted on 0.19.0 and the image runs another version', () => {
    const { notices } = planServing(launchInput());
    const calibration = notices.find((n) => n.code === 'DSIAC-SRV2')?.message;
    expect(calibration).toContain('fitted on vllm 0.19.0');
    expect(calibration).toContain('runs vllm 0.31.0');
  });

  test('SGLang and llama.cpp have no fitted constants: no calibration warning', () => {
    expect(planServing(launchInput({ engine: 'sglang' })).notices.map((n) => n.code)).not.toContain('DSIAC-SRV2');
  });
});

describe('KV block size the engine allocates in', () => {
  test.each([
    ['vllm', DEEPSEEK_V4_FLASH, 256], // the V4 recipe's --block-size 256
    ['vllm', DEEPSEEK_V3, 64], // MLA backends (FlashMLA) use 64-token blocks
    ['vllm', LLAMA_31_8B, 16], // vLLM's default block
    ['sglang', DEEPSEEK_V3, 1], // SGLang's token-level pool
  ] as const)('%s %s → %i', (engine, model, tokens) => {
    expect(kvBlockSizeTokens(engine, model)).toBe(tokens);
  });
});
