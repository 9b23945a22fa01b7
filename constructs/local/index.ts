/**
 * Local and on-prem adapter: renders a `Plan` (GPU or CPU) into files for your own hosts —
 * compose.yaml + systemd units for Docker hosts, or Kubernetes manifests for a cluster — plus
 * preflight.sh and a README, and writes them without overwriting anything it did not write.
 * Imports lib and `yaml` only.
 */
import type { Plan } from '../../lib';
import { renderCompose } from './compose';
import { renderKubernetes } from './kubernetes';
import { renderPreflight } from './preflight';
import { renderReadme } from './readme';
import { renderSystemdUnits } from './systemd';
import { frontFiles } from './launch';
import { writeOutputFiles, type OutputFile, type WriteResult } from './write';
import { checkLocalOptions } from '../../lib/deploy/options-check';

export { renderCompose, composeFile, composeInterpolated, type ComposeFile, type ComposeOptions, type ComposeService } from './compose';
export { renderSystemdUnits, dockerRunWords, systemdWord, environmentFilePath, type SystemdOptions, type SystemdUnit } from './systemd';
export {
  renderKubernetes, kubernetesObjects, kubernetesInterpolated, apiKeySecretName, GPU_RESOURCE, LWS_NAME_LABEL, API_KEY_SECRET_KEY,
  type KubernetesOptions,
} from './kubernetes';
export type * from './k8s-types';
export { renderPreflight, shellQuote, GPU_NAME_PATTERN, type PreflightOptions } from './preflight';
export { renderReadme, type ReadmeOptions } from './readme';
export { writeOutputFiles, OutputConflictError, MANIFEST_FILE, type OutputFile, type WriteConflict, type WriteResult } from './write';
export { checkLocalOptions, localOptionIssues, type CheckedLocalOptions } from '../../lib/deploy/options-check';
export { OutputWriteError } from './write';
export { resourceName, startupSeconds, DEFAULT_MODELS_DIR, DEFAULT_PUBLISH_ADDRESS, STARTUP_BASE_SECONDS, STARTUP_LOAD_BYTES_PER_SECOND } from './launch';

/** Options of {@link renderLocalFiles}. */
export interface LocalRenderOptions {
  /** Emit Kubernetes manifests instead of compose.yaml and systemd units. @default false */
  readonly kubernetes?: boolean;
  /** Base name of containers, units and Kubernetes objects. @default derived from the model id */
  readonly name?: string;
  /** Host folder holding `<model id>/` (compose, systemd, preflight). @default /srv/models */
  readonly modelsDir?: string;
  /** StorageClass of the weights claim (Kubernetes). @default the cluster default */
  readonly storageClassName?: string;
  /** Host address compose and systemd publish the API port on. @default 127.0.0.1 (this host only) */
  readonly publishAddress?: string;
}

/** Every file of a local deployment for a plan, paths relative to the output folder. */
export function renderLocalFiles(plan: Plan, options: LocalRenderOptions = {}): OutputFile[] {
  checkLocalOptions(options);
  const files: OutputFile[] = [];
  if (options.kubernetes) {
    files.push({ path: 'kubernetes.yaml', content: renderKubernetes(plan, options) });
  } else {
    files.push({ path: 'compose.yaml', content: renderCompose(plan, options) });
    for (const unit of renderSystemdUnits(plan, options)) files.push({ path: unit.fileName, content: unit.content });
    // The API front's nginx config and key template, mounted by compose and installed for systemd.
    files.push(...frontFiles(plan));
  }
  files.push({ path: 'preflight.sh', content: renderPreflight(plan, { ...options, runtime: options.kubernetes ? 'kubernetes' : 'docker' }), mode: 0o755 });
  files.push({ path: 'README.md', content: renderReadme(plan, { ...options, files: files.map((f) => f.path) }) });
  return files;
}

/**
 * Render a plan's local deployment and write it into `dir`.
 * @throws OutputConflictError when `dir` holds files deepseek-iac did not write (or that were edited).
 */
export function writeLocalDeployment(dir: string, plan: Plan, options: LocalRenderOptions = {}): WriteResult {
  return writeOutputFiles(dir, renderLocalFiles(plan, options));
}
