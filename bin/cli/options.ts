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
  price?: string[];
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
  priceOverrides: '--price',
  port: '--port',
  cpuHost: '--ram-gib/--memory-bandwidth-gbps/--cores/--sockets',
  ggufFile: '--gguf-file',
  host: '--ram-gib/--memory-bandwidth-gbps/--cores/--sockets',
};

/** A number if the text is plain decimal notation, else the text, so the spec schema reports the bad value. */
const num = strictNumber;

/**
 * `--local-gpus`: hosts separated by commas, each `GPU:COUNT[:ram=GiB][:disk=GB][:ib|:eth]`, e.g.
 * `mi300x:8` or `h100:8:ram=2048:disk=8000:ib,h100:8:ram=2048:disk=8000:ib`. Malformed values are
 * passed through for the spec schema to reject with their path (`localHosts[1].gpuCount`).
 */
export function parseLocalGpus(text: string): LocalHost[] {
  return text.split(',').map((part) => {
    const [gpu, count, ...attrs] = part.trim().split(':');
    const host: Record<string, unknown> = { gpu: gpu?.trim().toLowerCase(), gpuCount: count === undefined || count === '' ? 'missing (write GPU:COUNT, e.g. mi300x:8)' : num(count) };
    for (const a of attrs) {
      const [k, v] = a.split('=');
      if (k === 'ram') host.memoryGiB = num(v);
      else if (k === 'disk') host.diskGB = num(v);
      else if (k === 'ib' || k === 'rdma') host.rdma = true;
      else if (k === 'eth' || k === 'ethernet') host.rdma = false;
      else throw PlanError.single('localHosts', `unknown host attribute "${a}" in "${part.trim()}"; allowed: ram=GiB, disk=GB, ib, eth`);
    }
    return host as unknown as LocalHost;
  });
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
    priceOverrides: f.price && f.price.length > 0 ? parsePrices(f.price) : undefined,
    port: num(f.port),
    ggufFile: f.ggufFile,
  };
  const cpuHost = { ramGiB: num(f.ramGib), memoryBandwidthGBps: num(f.memoryBandwidthGbps), cores: num(f.cores), sockets: num(f.sockets) };
  if (Object.values(cpuHost).some((v) => v !== undefined)) spec.cpuHost = Object.fromEntries(Object.entries(cpuHost).filter(([, v]) => v !== undefined));
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return spec as DeploymentSpec;
}
