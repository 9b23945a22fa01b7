/**
 * The Azure node boot script (VM custom data; cloud-init runs a custom-data script that starts with
 * `#!` once per instance): a per-node header of shell-quoted `readonly` variables, then shell
 * fragments of lib/deploy/boot/ (see its README). The logic that is the same as on AWS comes from
 * the same fragments (host paths, logging, retries, disk formatting, the Hugging Face download, the
 * engine and timer units, the runtime and secret env files, the argv substitution), as does the
 * container launch (`engineContainer`); the Azure-specific parts are their own fragments: Key Vault
 * through the managed identity and the main flow (azure/node.sh), the data disk by LUN and the
 * local NVMe cache (azure/disks.sh), the vendor-aware GPU check and syslog health report
 * (azure/gpus.sh). Subcommands: bootstrap (first boot), `engine-env`, `run-engine`, `health`.
 *
 * Nothing secret is rendered: the script names the vault and the secret, never a value.
 */
import type { Plan } from '../../plan/types';
import { engineContainer, NODE_VARIABLES } from '../container-run';
import type { HuggingFaceModelSource } from '../model-source';
import { ENGINE_SLICE, ENGINE_UNIT, WEIGHTS_COMPLETE_MARKER } from '../user-data';
import { bootFragments, HF_DOWNLOAD_PY, variablesHeader, type BootAssetName } from '../boot';
import { apiFrontSpec } from '../api-front';
import { AZURE_FRONT_PATHS, AZURE_FRONT_UNIT, azureFront, azureFrontKeyTemplate, renderAzureFrontConfig } from './front';
import { GPU_FAILURES_BEFORE_REDEPLOY, MAX_SELF_REDEPLOYS, REDEPLOY_API_VERSION } from './repair';

/** Azure custom data limit: 65535 bytes before base64 ("the maximum length of the binary array is 65535 bytes"; docs/azure-facts.md §5). */
export const CUSTOM_DATA_MAX_BYTES = 65_535;

/** systemd service and timer of the health reporter. */
export const HEALTH_UNIT = 'deepseek-health';

/** Syslog facilities the script logs to: engine output and health/GPU lines. */
export const SYSLOG_FACILITIES = { engine: 'local0', health: 'local1' } as const;

/** Syslog tags of the engine, the health report and the GPU metrics. */
export const SYSLOG_TAGS = { engine: 'deepseek-engine', health: 'deepseek-health', gpu: 'deepseek-gpu' } as const;

/** Everything the boot script of one node needs (all plain strings: no adapter tokens). */
export interface AzureBootInput {
  readonly plan: Plan;
  readonly rank: number;
  readonly clusterName: string;
  readonly modelSource: HuggingFaceModelSource;
  /** LUN of the managed data disk holding the weights. */
  readonly dataDiskLun: number;
  /** Size of the data disk, GiB (for the log line; the disk is found by its LUN). */
  readonly dataDiskGiB: number;
  /** `https://<vault>.vault.azure.net`. */
  readonly keyVaultUri: string;
  readonly apiKeySecretName: string;
  /** Key Vault secret holding a Hugging Face token, when the repository needs one. */
  readonly huggingFaceTokenSecretName?: string;
  /** Static private address of rank 0 (the head). */
  readonly headAddress: string;
  /** Static private address of this node. */
  readonly nodeAddress: string;
  /** Stage the weights on the local NVMe before each start (the blueprint checks that they fit). */
  readonly useLocalNvmeCache: boolean;
  /** Extra `docker run` options for the InfiniBand fabric (multi-node). */
  readonly fabricDockerOptions: readonly string[];
  /** Environment for the engine container over InfiniBand (replaces the EFA-oriented defaults). */
  readonly fabricEnv: Readonly<Record<string, string>>;
  /** One line for the header. */
  readonly summary: string;
  /** Key Vault certificate whose secret (PEM) the API front serves TLS with. @default none: plain HTTP, with a blueprint warning */
  readonly tlsCertificateSecretName?: string;
}

/**
 * `docker run` options for the rank with the fabric environment applied: `-e` pairs whose key the
 * fabric sets are replaced (the AWS defaults aim at EFA), then the fabric's options appended.
 */
export function azureDockerOptions(options: readonly string[], fabricEnv: Readonly<Record<string, string>>, fabricOptions: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < options.length; i++) {
    if (options[i] === '-e' && i + 1 < options.length && Object.prototype.hasOwnProperty.call(fabricEnv, options[i + 1].split('=')[0])) {
      i++;
      continue;
    }
    out.push(options[i]);
  }
  for (const [k, v] of Object.entries(fabricEnv)) out.push('-e', `${k}=${v}`);
  return [...out, ...fabricOptions];
}

/** Render the boot script of one node. */
export function renderAzureBootScript(input: AzureBootInput): string {
  const { plan, rank } = input;
  const nodes = plan.topology.nodes;
  if (!Number.isInteger(rank) || rank < 0 || rank >= nodes) throw new RangeError(`rank ${rank} is outside 0…${nodes - 1}`);
  // The serving rank's engine binds loopback behind the API front (lib/deploy/azure/front.ts).
  const frontSpec = apiFrontSpec(plan);
  const front = azureFront(plan, input.tlsCertificateSecretName);
  const container = engineContainer(plan, rank, { front: frontSpec });
  const vendor = plan.topology.gpuVendor;
  if (vendor !== 'nvidia' && vendor !== 'amd') throw new Error(`no GPU check for vendor ${vendor}`);
  const role = nodes === 1 ? 'single node' : rank === 0 ? 'head' : 'worker';
  const header = variablesHeader([
    ['CLUSTER', input.clusterName],
    ['NODE_RANK', String(rank)],
    ['NODES', String(nodes)],
    ['MODEL_ID', plan.model.id],
    ['MODEL_SOURCE', input.modelSource.repoId],
    ['MODEL_REVISION', input.modelSource.revision ?? ''],
    ['IMAGE', container.image],
    ['MODEL_MOUNT', container.modelMountPath],
    ['SERVES_API', container.servesApi ? '1' : '0'],
    ['API_PORT', String(plan.serving.port)],
    ['HEALTH_PATH', plan.serving.healthPath],
    ['API_KEY_ENV', plan.serving.apiKeyEnv],
    ['KEY_VAULT_URI', input.keyVaultUri],
    ['API_KEY_SECRET', input.apiKeySecretName],
    ['HF_TOKEN_SECRET_ID', input.huggingFaceTokenSecretName ?? ''],
    ['GPU_VENDOR', vendor],
    ['EXPECTED_GPUS', String(plan.topology.gpusPerNode)],
    ['HEAD_ADDR_STATIC', input.headAddress],
    ['NODE_ADDR', input.nodeAddress],
    ['HOST_IP_ENV', container.hostIpEnv ?? ''],
    ['DATA_DISK_LUN', String(input.dataDiskLun)],
    ['NVME_CACHE', input.useLocalNvmeCache ? '1' : '0'],
    ['UNIT', ENGINE_UNIT],
    ['ENGINE_SLICE', ENGINE_SLICE],
    ['HEALTH_UNIT', HEALTH_UNIT],
    ['MARKER', WEIGHTS_COMPLETE_MARKER],
    ['HF_DOWNLOAD_PY', HF_DOWNLOAD_PY],
    ['ENGINE_FACILITY', SYSLOG_FACILITIES.engine],
    ['HEALTH_FACILITY', SYSLOG_FACILITIES.health],
    ['ENGINE_TAG', SYSLOG_TAGS.engine],
    ['HEALTH_TAG', SYSLOG_TAGS.health],
    ['GPU_TAG', SYSLOG_TAGS.gpu],
    ['EXPECTED_MACHINE', plan.topology.cpuArchitecture === 'arm64' ? 'aarch64' : 'x86_64'],
    ['FRONT', AZURE_FRONT_UNIT],
    ['FRONT_IMAGE', container.servesApi ? front.image : ''],
    ['FRONT_CONF_PATH', AZURE_FRONT_PATHS.config],
    ['FRONT_KEY_TEMPLATE_PATH', AZURE_FRONT_PATHS.keyTemplate],
    ['FRONT_TLS_PATH', AZURE_FRONT_PATHS.tls],
    ['TLS_CERT_SECRET', container.servesApi ? (input.tlsCertificateSecretName ?? '') : ''],
    ['HEALTH_SCHEME', front.scheme],
    ['GPU_FAILURE_LIMIT', String(GPU_FAILURES_BEFORE_REDEPLOY)],
    ['MAX_REDEPLOYS', String(MAX_SELF_REDEPLOYS)],
    ['REDEPLOY_API_VERSION', REDEPLOY_API_VERSION],
    // nginx's $variables and the template's ${KEY} are literal text for the front.
    ['FRONT_CONF', container.servesApi ? renderAzureFrontConfig(frontSpec, front.scheme === 'https') : '', 'literal'],
    ['FRONT_KEY_TEMPLATE', container.servesApi ? azureFrontKeyTemplate(plan) : '', 'literal'],
    ['DOCKER_OPTS', azureDockerOptions(container.dockerOptions, input.fabricEnv, input.fabricDockerOptions)],
    // run-engine substitutes ${HEAD_ADDR} / ${NODE_RANK}; other ${...} expand inside the container.
    ['PH_HEAD', NODE_VARIABLES.headAddr, 'literal'],
    ['PH_RANK', NODE_VARIABLES.nodeRank, 'literal'],
    ['ENGINE_ARGV', container.argv, 'literal'],
  ], { arraysOnePerLine: true });
  return [
    '#!/bin/bash',
    '# deepseek-iac Azure node boot script (cloud-init custom data), rendered from the deployment plan; do not edit by hand.',
    `# ${input.summary.replace(/[\r\n]+/g, ' ')}`,
    `# node rank ${rank} of ${nodes} (${role}); data disk LUN ${input.dataDiskLun}, ${input.dataDiskGiB} GiB`,
    '# usage: node.sh [bootstrap|engine-env|run-engine|health]',
    'set -Eeuo pipefail',
    '',
    '# ---- from the plan ----',
    header,
    '',
    bootFragments(AZURE_FRAGMENTS, { keepComments: true }),
  ].join('\n');
}

/** The fragments of an Azure node's script in rendering order (lib/deploy/boot/README.md); the main one, with the dispatch, last. */
export const AZURE_FRAGMENTS: readonly BootAssetName[] = [
  'common.sh',
  'units.sh',
  'hf-download.sh',
  'engine-launch.sh',
  'azure/gpus.sh',
  'azure/disks.sh',
  'azure/front.sh',
  'azure/node.sh',
];
