/**
 * The engine profiles and the choice of one for a launch.
 *
 * Pinned: vLLM 0.31.0 and SGLang 0.5.21 (the newest releases confirmed), llama.cpp b9917. For a
 * multi-node launch over EFA the selection prefers an image that carries the EFA libraries (the AWS
 * Deep Learning Container for vLLM) when its engine is new enough for the model; otherwise it keeps the
 * pinned image and warns what is lost.
 */
import { PlanError } from '../../errors';
import type { Decision, Engine, Interconnect, ModelArchitecture } from '../../types';
import { notice, type Notice } from '../../notices';
import { compareVersions, familyOf, MIN_ENGINE_VERSION, minimumFor } from './families';
import { LLAMACPP_B9917 } from './llamacpp-b9917';
import { SGLANG_0_5_21 } from './sglang-0.5.21';
import type { CpuArchitecture, EngineProfile, FamilyFlags, ImageTarget, ModelFamily, ProfileImage } from './types';
import { VLLM_0_27_0_AWS_DLC } from './vllm-0.27.0-aws-dlc';
import { VLLM_0_31_0 } from './vllm-0.31.0';

export type * from './types';
export { compareVersions, familyOf, MIN_ENGINE_VERSION, minimumFor, type MinimumVersion } from './families';
export { LLAMACPP_BUILD } from './llamacpp-b9917';

/** Every profile in the repository. */
export const ENGINE_PROFILES: readonly EngineProfile[] = [VLLM_0_31_0, VLLM_0_27_0_AWS_DLC, SGLANG_0_5_21, LLAMACPP_B9917];

/** The pinned release per engine: the newest upstream profile. */
export const PINNED_PROFILES: Readonly<Record<Engine, EngineProfile>> = {
  vllm: VLLM_0_31_0,
  sglang: SGLANG_0_5_21,
  llamacpp: LLAMACPP_B9917,
};

/** The CPU architecture assumed when the topology does not say (every x86 GPU instance on AWS). */
export const DEFAULT_CPU_ARCHITECTURE: CpuArchitecture = 'x86_64';

/** The full image reference: `repo:tag@sha256:…` when a digest is known (Docker resolves the digest), else `repo:tag`. */
export function imageReference(image: ProfileImage): string {
  return image.digest ? `${image.tag}@${image.digest}` : image.tag;
}

/** What the selection needs to know about the launch. */
export interface ProfileRequest {
  readonly engine: Engine;
  readonly target: ImageTarget;
  /** @default 'x86_64' */
  readonly cpuArchitecture?: CpuArchitecture;
  readonly model: Pick<ModelArchitecture, 'id' | 'modelType'>;
  readonly nodes: number;
  readonly interconnect?: Interconnect;
}

/** The chosen release, image and family flags, with the decisions and warnings that explain them. */
export interface ProfileChoice {
  readonly profile: EngineProfile;
  readonly image: ProfileImage;
  readonly family: ModelFamily;
  /** The family's flags on this release; undefined for models outside the DeepSeek families. */
  readonly familyFlags?: FamilyFlags;
  readonly decisions: readonly Decision[];
  /** No EFA-capable image new enough (DSIAC-SRV1); memory constants fitted on another release (DSIAC-SRV2). */
  readonly notices: readonly Notice[];
}

function imageOf(profile: EngineProfile, target: ImageTarget, cpu: CpuArchitecture): ProfileImage | undefined {
  return profile.images.find((i) => i.target === target && i.cpuArchitecture === cpu);
}

/** Whether a release is new enough for a family on a target; unknown minimums accept only the pinned release. */
function servesFamily(profile: EngineProfile, family: ModelFamily, target: ImageTarget): boolean {
  const min = MIN_ENGINE_VERSION[profile.engine][family];
  if (min === undefined) return true;
  const version = minimumFor(min, target);
  if (version === undefined) return profile === PINNED_PROFILES[profile.engine];
  return compareVersions(profile.engineVersion, version) >= 0;
}

/**
 * Choose the engine release and image for a launch.
 * @throws PlanError when the pinned release has no image for the hardware or is older than the model needs.
 */
export function selectProfile(req: ProfileRequest): ProfileChoice {
  const cpu = req.cpuArchitecture ?? DEFAULT_CPU_ARCHITECTURE;
  const family = familyOf(req.model);
  const pinned = PINNED_PROFILES[req.engine];
  const pinnedImage = imageOf(pinned, req.target, cpu);
  if (!pinnedImage) {
    const offered = pinned.images.map((i) => `${i.target}/${i.cpuArchitecture}`).join(', ');
    throw PlanError.single('cpuArchitecture', `${req.engine} ${pinned.engineVersion} has no image for ${req.target} on ${cpu}; images exist for ${offered}`);
  }
  const min = MIN_ENGINE_VERSION[req.engine][family];
  const minVersion = min ? minimumFor(min, req.target) : undefined;
  if (minVersion !== undefined && compareVersions(pinned.engineVersion, minVersion) < 0) {
    throw PlanError.single('engine', `${req.model.id} needs ${req.engine} ≥ ${minVersion} (${min!.source}); the pinned ${req.engine} is ${pinned.engineVersion}`);
  }

  const decisions: Decision[] = [];
  const notices: Notice[] = [];
  let profile = pinned;
  let image = pinnedImage;
  const needMin = minVersion ? ` (${req.model.id} needs ≥ ${minVersion})` : '';

  if (req.nodes > 1 && req.interconnect === 'efa' && !pinnedImage.efaLibraries) {
    const withEfa = ENGINE_PROFILES.filter((p) => p.engine === req.engine && imageOf(p, req.target, cpu)?.efaLibraries);
    const usable = withEfa.filter((p) => servesFamily(p, family, req.target));
    if (usable.length > 0) {
      profile = usable.reduce((a, b) => (compareVersions(b.engineVersion, a.engineVersion) > 0 ? b : a));
      image = imageOf(profile, req.target, cpu)!;
      decisions.push({
        field: 'serving.image',
        value: imageReference(image),
        reason: `multi-node over EFA: ${image.tag} ships libfabric's EFA provider and aws-ofi-nccl, so NCCL between the nodes uses EFA's RDMA; its ${req.engine} ${profile.engineVersion} is new enough${needMin}; the stock ${pinnedImage.tag} has no EFA libraries${image.digest ? '' : image.mutableTag ? ` (mutable tag: ${image.mutableTag})` : ''}`,
      });
    } else {
      const tooOld = withEfa.map((p) => `${imageOf(p, req.target, cpu)!.tag} has ${req.engine} ${p.engineVersion}`).join('; ');
      notices.push(notice(
        'DSIAC-SRV1',
        `no image with EFA libraries is new enough for ${req.model.id}${tooOld ? ` (${tooOld}${needMin})` : ` (none is pinned for ${req.engine})`}: ` +
          `${pinnedImage.tag} lacks libfabric and aws-ofi-nccl, so NCCL between the nodes falls back to TCP sockets over the ENA network. ` +
          'Lost: EFA\'s RDMA (OS bypass, GPUDirect) bandwidth and latency for the tensor/pipeline traffic between nodes, so multi-node decode is much slower. ' +
          'Build the image with the EFA installer on top (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-installer-containers.html)',
      ));
    }
  }
  if (!decisions.some((d) => d.field === 'serving.image')) {
    decisions.push({ field: 'serving.image', value: imageReference(image), reason: `${req.engine} ${profile.engineVersion}, the pinned release for ${req.target} on ${cpu}${image.digest ? ' (tag and digest)' : image.mutableTag ? ` (mutable tag: ${image.mutableTag})` : ' (immutable tag; no digest found in a public record)'}` });
  }
  decisions.push({ field: 'serving.engineVersion', value: profile.engineVersion, reason: `profile ${profile.id}${needMin}` });

  const fitted = profile.memoryCalibration.fittedOnEngineVersion;
  if (fitted !== undefined && compareVersions(fitted, profile.engineVersion) !== 0) {
    notices.push(notice(
      'DSIAC-SRV2',
      `the memory model's ${req.engine} constants (activation peak, non-torch memory) were fitted on ${req.engine} ${fitted} start-up logs; the image runs ${req.engine} ${profile.engineVersion}: ` +
        `its KV pool and capacity may differ from the plan until the constants are re-fitted (${profile.memoryCalibration.source})`,
    ));
  }
  return { profile, image, family, familyFlags: profile.families[family], decisions, notices };
}

/** The profile with this id, or undefined. */
export function profileById(id: string): EngineProfile | undefined {
  return ENGINE_PROFILES.find((p) => p.id === id);
}

/**
 * KV block (page) size in tokens the engine allocates in for a model on the pinned release: the
 * family's required size (vLLM V4: `--block-size 256`, which the launch renders), else the engine's
 * default (vLLM 16 tokens, 64 for MLA backends such as FlashMLA; SGLang's token-level pool: 1;
 * llama.cpp: 1, a contiguous cache per slot). lib/sizing/engine-memory.ts's `blockSizeTokens` can call this.
 */
export function kvBlockSizeTokens(engine: Engine, arch: Pick<ModelArchitecture, 'id' | 'modelType' | 'mla'>, target: ImageTarget = 'nvidia'): number {
  if (engine !== 'vllm') return 1;
  const family = PINNED_PROFILES.vllm.families[familyOf(arch)];
  const required = target === 'amd' && family?.amdBlockSizeTokens !== undefined ? family.amdBlockSizeTokens : family?.blockSizeTokens;
  if (required !== undefined) return required;
  return arch.mla ? 64 : 16;
}

/**
 * Whether the pinned release's recipe for the model's family runs expert parallelism with tensor
 * parallelism (vLLM's DeepSeek recipes: `--enable-expert-parallel` with TP, on NVIDIA only: the cited
 * MI300X runs do not use EP). The planner records it in `topology.expertParallel`.
 */
export function expertParallelWithTpByRecipe(engine: Engine, model: Pick<ModelArchitecture, 'id' | 'modelType'>, vendor: string): boolean {
  if (vendor !== 'nvidia') return false;
  return Boolean(PINNED_PROFILES[engine].families[familyOf(model)]?.expertParallelWithTp);
}

/**
 * Why the pinned release does not serve the model's family on a GPU architecture, or undefined when
 * it does (FamilyFlags.unsupportedGpuArchitectures; e.g. vLLM's V4 on MI300X).
 */
export function familyHardwareProblem(engine: Engine, model: Pick<ModelArchitecture, 'id' | 'modelType'>, gpuArchitecture: string): string | undefined {
  const rule = PINNED_PROFILES[engine].families[familyOf(model)]?.unsupportedGpuArchitectures;
  if (!rule || !rule.architectures.includes(gpuArchitecture)) return undefined;
  return `${model.id} is not served by ${engine} ${PINNED_PROFILES[engine].engineVersion} on ${gpuArchitecture.toUpperCase()} GPUs: ${rule.reason} (${rule.source})`;
}
