/**
 * Which DeepSeek family a model belongs to (its serving flags and minimum engine versions differ), and
 * the first engine release that serves each family. Families come from the HF `model_type` and the
 * catalog id, so V3.2, V4 and V4.1 entries get their flags as soon as the catalog carries them.
 *
 * Minimum versions (docs/engines-2026.md §3 copies them with their sources):
 * - vLLM recipes, vllm-project/recipes `models/deepseek-ai/*.yaml` (`min_vllm_version`): V3, R1 and V3.1
 *   0.12.0; V3.2 0.18.0; V4 preview 0.20.0; V4-Flash-0731 / V4-Pro-0813 / the DSpark repack 0.25.0 ("DSpark
 *   drafting landed in 0.25.0; 0.26.0 is the first release where it also works on the MI325X/MI355X");
 *   V4.1-Flash 0.30.0.
 * - SGLang: V4.1 first in a stable release with 0.5.21 (vLLM/SGLang release notes as collected in
 *   docs/engines-2026.md §3). No SGLang minimum for the other families was established: for those only
 *   the newest pinned SGLang profile is used.
 */
import type { Engine, ModelArchitecture } from '../../types';
import type { ImageTarget, ModelFamily } from './types';

/** The family of a model, from its HF model_type and catalog id. */
export function familyOf(model: Pick<ModelArchitecture, 'id' | 'modelType'>): ModelFamily {
  const id = model.id.toLowerCase();
  const type = model.modelType.toLowerCase();
  if (/^deepseek_v4[._]?1$/.test(type)) return 'deepseek-v4.1';
  if (type === 'deepseek_v4') return /-(0731|0813)\b|-dspark\b/.test(id) ? 'deepseek-v4-dspark' : 'deepseek-v4';
  if (type === 'deepseek_v32') return 'deepseek-v3.2';
  if (type === 'deepseek_v3') {
    if (id.startsWith('deepseek-r1')) return 'deepseek-r1';
    if (id.startsWith('deepseek-v3.2')) return 'deepseek-v3.2';
    if (id.startsWith('deepseek-v3.1')) return 'deepseek-v3.1';
    return 'deepseek-v3';
  }
  if (type === 'deepseek_v2') return 'deepseek-v2';
  if (id.startsWith('deepseek-r1-distill') || id.startsWith('deepseek-r1-0528-qwen3')) return 'deepseek-r1-distill';
  return 'other';
}

/** The first release of an engine that serves a family, with where that was read. */
export interface MinimumVersion {
  /** Undefined: not established; only the newest pinned profile of the engine is used for the family. */
  readonly version?: string;
  /** AMD (ROCm) minimum when it is later than the CUDA one. */
  readonly amdVersion?: string;
  readonly source: string;
}

const RECIPES = 'https://github.com/vllm-project/recipes/tree/main/models/deepseek-ai';

/** Minimum engine version per family; a family not listed has no known minimum (any pinned release serves it). */
export const MIN_ENGINE_VERSION: Readonly<Record<Engine, Readonly<Partial<Record<ModelFamily, MinimumVersion>>>>> = {
  vllm: {
    'deepseek-v3': { version: '0.12.0', source: `${RECIPES}/DeepSeek-V3.yaml (min_vllm_version "0.12.0")` },
    'deepseek-r1': { version: '0.12.0', source: `${RECIPES}/DeepSeek-R1.yaml (min_vllm_version "0.12.0")` },
    'deepseek-v3.1': { version: '0.12.0', source: `${RECIPES}/DeepSeek-V3.1.yaml (min_vllm_version "0.12.0")` },
    'deepseek-v3.2': { version: '0.18.0', source: `${RECIPES}/DeepSeek-V3.2.yaml (min_vllm_version "0.18.0")` },
    'deepseek-v4': { version: '0.20.0', source: `${RECIPES}/DeepSeek-V4-Flash.yaml and DeepSeek-V4-Pro.yaml (min_vllm_version "0.20.0"); vLLM v0.20.0 release notes: "Initial DeepSeek V4 support landed (#40860)"` },
    'deepseek-v4-dspark': { version: '0.25.0', amdVersion: '0.26.0', source: `${RECIPES}/DeepSeek-V4-Flash.yaml variants default/dspark (min_vllm_version "0.25.0"; "0.26.0 is the first release where it also works on the MI325X/MI355X")` },
    'deepseek-v4.1': { version: '0.30.0', source: `${RECIPES}/DeepSeek-V4.1-Flash.yaml (min_vllm_version "0.30.0")` },
  },
  sglang: {
    'deepseek-v3.2': { source: 'not established; SGLang documents V3.2 on its own images (https://docs.sglang.io/basic_usage/deepseek_v32.html)' },
    'deepseek-v4': { source: 'not established (https://docs.sglang.io/cookbook/autoregressive/DeepSeek/DeepSeek-V4 names no minimum release)' },
    'deepseek-v4-dspark': { source: 'not established (the SGLang V4 cookbook names no minimum release)' },
    'deepseek-v4.1': { version: '0.5.21', source: 'SGLang v0.5.21 (2026-10-02) is the first stable release with V4.1 (docs/engines-2026.md §3)' },
  },
  llamacpp: {},
};

/** Compare dotted numeric versions (`0.27.1` < `0.30.0`); build tags such as `b9917` compare by number. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^[vb]/, '').split(/[.+-]/).map((p) => Number.parseInt(p, 10)).map((n) => (Number.isNaN(n) ? 0 : n));
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The version string that applies on the target (AMD may need a later release). */
export function minimumFor(min: MinimumVersion, target: ImageTarget): string | undefined {
  return target === 'amd' ? (min.amdVersion ?? min.version) : min.version;
}
