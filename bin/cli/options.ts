import { PlanError, type DeploymentSpec, type LocalHost } from '../../lib';
import { strictNumber } from './numbers';

/** Raw commander options of `plan` (and `local` later): strings as typed. */
export interface PlanFlags {
  model?: string;
  hfConfig?: string;
  hfModelId?: string;
  precision?: string;
  kvCacheDtype?: string;
  context?: string;
  concurrency?: string;
  target?: string;
  gpu?: string[];
  localGpus?: string;
  maxNodes?: string;
  engine?: string;
  gpuMemoryUtilization?: string;
  instanceType?: string;
  nodes?: string;
  tensorParallelSize?: string;
  pipelineParallelSize?: string;
  dataParallelSize?: string;
  /** commander: true for --expert-parallel, false for --no-expert-parallel; undefined when neither is given. */
  expertParallel?: boolean;
  price?: string[];
  capacityBlocks?: boolean;
  port?: string;
  ramGib?: string;
  memoryBandwidthGbps?: string;
  cores?: string;
  sockets?: string;
  ggufFile?: string;
}

/** Spec field → the flag a user typed, so errors speak the user's language. */
export const FLAG_FOR_FIELD: Readonly<Record<string, string>> = {
  model: '--model',
  hfConfig: '--hf-config',
  hfModelId: '--hf-model-id',
  precision: '--precision',
  kvCacheDtype: '--kv-cache-dtype',
  contextTokens: '--context',
  concurrency: '--concurrency',
  target: '--target',
  gpus: '--gpu',
  localHosts: '--local-gpus',
  maxNodes: '--max-nodes',
  engine: '--engine',
  gpuMemoryUtilization: '--gpu-memory-utilization',
  instanceType: '--instance-type',
  nodes: '--nodes',
  tensorParallelSize: '--tensor-parallel-size',
  pipelineParallelSize: '--pipeline-parallel-size',
  dataParallelSize: '--data-parallel-size',
  expertParallel: '--expert-parallel/--no-expert-parallel',
  priceOverrides: '--price',
  capacityBlocks: '--capacity-blocks',
  port: '--port',
  cpuHost: '--ram-gib/--memory-bandwidth-gbps/--cores/--sockets',
  ggufFile: '--gguf-file',
  host: '--ram-gib/--memory-bandwidth-gbps/--cores/--sockets',
};

/** A number if the text is plain decimal notation, else the text, so the spec schema reports the bad value. */
const num = strictNumber;

/**
 * `--local-gpus`: hosts separated by commas; each host is `GPU` followed by `:`-separated tokens:
 *   COUNT (a bare whole number, exactly once), `ram=GiB`, `disk=GB`, `ib` | `eth`, and for
 *   `GPU = custom` (a GPU not in the catalog): `mem=GiB` (required; alias memGiB), `bw=GB/s`,
 *   `fp8`, `fp4`, `vendor=nvidia|amd`, `link=pcie|nvlink|xgmi`.
 * Examples: `mi300x:8`, `h100:8:ram=2048:disk=8000:ib,h100:8:ram=2048:disk=8000:ib`,
 * `custom:4:mem=48:bw=864:fp8` (= `custom:mem=48:bw=864:fp8:4`).
 * Unknown or misplaced tokens are collected and thrown together (path `localHosts[i]`); bad values
 * are passed through for the spec schema to reject with their path (`localHosts[1].gpuCount`).
 */
export function parseLocalGpus(text: string): LocalHost[] {
  const issues: { path: string; message: string }[] = [];
  const hosts = text.split(',').map((part, index) => {
    const [gpuToken, ...tokens] = part.trim().split(':');
    const gpu = gpuToken?.trim().toLowerCase();
    const custom = gpu === 'custom';
    const host: Record<string, unknown> = { gpu };
    const described: Record<string, unknown> = {};
    const problem = (message: string) => issues.push({ path: `localHosts[${index}]`, message: `${message} in "${part.trim()}"` });
    for (const token of tokens) {
      const [rawKey, value] = token.split('=');
      const key = rawKey.trim().toLowerCase();
      if (value === undefined && /^\d+$/.test(key)) {
        if (host.gpuCount !== undefined) problem(`two GPU counts (${String(host.gpuCount)} and ${key}); give COUNT once`);
        host.gpuCount = Number(key);
      } else if (key === 'ram') host.memoryGiB = num(value);
      else if (key === 'disk') host.diskGB = num(value);
      else if (key === 'ib' || key === 'rdma') host.rdma = true;
      else if (key === 'eth' || key === 'ethernet') host.rdma = false;
      else if (custom && (key === 'mem' || key === 'memgib')) described.memoryGiB = num(value);
      else if (custom && (key === 'bw' || key === 'bandwidth')) described.memoryBandwidthGBps = num(value);
      else if (custom && (key === 'fp8' || key === 'fp4') && value === undefined) described[key] = true;
      else if (custom && key === 'vendor') described.vendor = value?.toLowerCase();
      else if (custom && key === 'link') described.link = value?.toLowerCase();
      else if (!custom && ['mem', 'memgib', 'bw', 'bandwidth', 'fp8', 'fp4', 'vendor', 'link'].includes(key)) {
        problem(`"${token}" describes a GPU that is not in the catalog; use it with custom (custom:COUNT:mem=GiB…), not with "${gpu}"`);
      } else {
        problem(`unknown host attribute "${token}"; allowed: ram=GiB, disk=GB, ib, eth${custom ? ', mem=GiB, bw=GB/s, fp8, fp4, vendor=nvidia|amd, link=pcie|nvlink|xgmi' : ''}, and the GPU count as a bare whole number`);
      }
    }
    if (host.gpuCount === undefined) host.gpuCount = 'missing (write GPU:COUNT, e.g. mi300x:8)';
    // An empty description is left out so the schema names what a custom GPU needs.
    if (custom && Object.keys(described).length > 0) host.customGpu = described;
    return host as unknown as LocalHost;
  });
  if (issues.length > 0) throw new PlanError(issues);
  return hosts;
}

/**
 * `p5.48xlarge=40.5` pairs → price overrides. Built with own properties only (`Object.fromEntries`),
 * so `__proto__=1` becomes a key the schema refuses instead of silently changing the prototype.
 * A pair without `=` or with a second `=` is refused here.
 */
export function parsePrices(pairs: readonly string[]): Record<string, number | string> {
  const entries: [string, number | string][] = [];
  const issues: { path: string; message: string }[] = [];
  for (const p of pairs) {
    const parts = p.split('=');
    if (parts.length !== 2 || parts[0].trim() === '') {
      issues.push({ path: 'priceOverrides', message: `${JSON.stringify(p)} must be TYPE=USD, e.g. p5.48xlarge=40` });
      continue;
    }
    entries.push([parts[0].trim(), num(parts[1]) ?? '']);
  }
  if (issues.length > 0) throw new PlanError(issues);
  return Object.fromEntries(entries);
}

/** Flags → a spec object (unvalidated: the core validates and names each bad field). */
export function specFromFlags(f: PlanFlags, hfConfig?: Record<string, unknown>): DeploymentSpec {
  const spec: Record<string, unknown> = {
    model: f.model,
    hfConfig,
    hfModelId: f.hfModelId,
    precision: f.precision,
    kvCacheDtype: f.kvCacheDtype,
    contextTokens: num(f.context),
    concurrency: num(f.concurrency),
    target: f.target,
    gpus: f.gpu && f.gpu.length > 0 ? f.gpu.map((g) => g.toLowerCase()) : undefined,
    localHosts: f.localGpus ? parseLocalGpus(f.localGpus) : undefined,
    maxNodes: num(f.maxNodes),
    engine: f.engine,
    gpuMemoryUtilization: num(f.gpuMemoryUtilization),
    instanceType: f.instanceType,
    nodes: num(f.nodes),
    tensorParallelSize: num(f.tensorParallelSize),
    pipelineParallelSize: num(f.pipelineParallelSize),
    dataParallelSize: num(f.dataParallelSize),
    expertParallel: f.expertParallel,
    priceOverrides: f.price && f.price.length > 0 ? parsePrices(f.price) : undefined,
    capacityBlocks: f.capacityBlocks,
    port: num(f.port),
    ggufFile: f.ggufFile,
  };
  const cpuHost = { ramGiB: num(f.ramGib), memoryBandwidthGBps: num(f.memoryBandwidthGbps), cores: num(f.cores), sockets: num(f.sockets) };
  if (Object.values(cpuHost).some((v) => v !== undefined)) spec.cpuHost = Object.fromEntries(Object.entries(cpuHost).filter(([, v]) => v !== undefined));
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return spec as DeploymentSpec;
}
