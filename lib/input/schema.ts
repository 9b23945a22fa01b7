import { z } from 'zod';
import { PlanError } from '../errors';
import { ENGINES, GPU_IDS, KV_CACHE_DTYPES, PRECISIONS, TARGETS, type Issue } from '../types';
import type { DeploymentSpec } from './types';
import { hfConfigBoundIssues } from './hf-config-bounds';
import { containedPathProblem, instanceTypeProblem, modelIdProblem } from './safe-values';

/** A zod string checked by one of the safe-values rules, the rule's message naming what is allowed. */
export const checked = (problem: (v: string) => string | undefined) =>
  z.string().superRefine((v, ctx) => {
    const message = problem(v);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

/** A whole number ≥ 1 whose messages name the field. */
export const positiveInt = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).positive(`${what} must be at least 1`);

const customGpu = z.strictObject({
  memoryGiB: z.number({ error: (i) => (i.input === undefined ? 'memoryGiB is required: the memory the driver shows, GiB (--local-gpus custom:COUNT:mem=GiB)' : 'memoryGiB must be a number of GiB') }).positive('memoryGiB must be above 0').max(4096, 'memoryGiB is at most 4096 GiB'),
  memoryBandwidthGBps: z.number({ error: 'memoryBandwidthGBps must be a number of GB/s' }).positive('memoryBandwidthGBps must be above 0').max(100_000, 'memoryBandwidthGBps is at most 100000 GB/s').optional(),
  fp8: z.boolean().optional(),
  fp4: z.boolean().optional(),
  vendor: z.enum(['nvidia', 'amd'], { error: 'vendor must be one of: nvidia, amd' }).optional(),
  link: z.enum(['pcie', 'nvlink', 'xgmi'], { error: 'link must be one of: pcie, nvlink, xgmi' }).optional(),
});

const localHost = z.strictObject({
  gpu: z.enum(['custom', ...GPU_IDS] as [string, ...string[]]),
  customGpu: customGpu.optional(),
  gpuCount: positiveInt('gpuCount').max(16, 'gpuCount is at most 16 GPUs per host'),
  memoryGiB: positiveInt('memoryGiB').optional(),
  diskGB: positiveInt('diskGB').optional(),
  rdma: z.boolean().optional(),
});

/** zod schema of {@link DeploymentSpec}: structure and ranges. Semantic checks (model exists, context ≤ model max) follow in the planner. */
export const deploymentSpecSchema = z.strictObject({
  model: checked(modelIdProblem).optional(),
  hfConfig: z.record(z.string(), z.unknown()).optional(),
  hfModelId: checked(modelIdProblem).optional(),
  precision: z.enum(PRECISIONS as [string, ...string[]]).optional(),
  kvCacheDtype: z.enum(KV_CACHE_DTYPES as [string, ...string[]]).optional(),
  contextTokens: positiveInt('contextTokens').optional(),
  concurrency: positiveInt('concurrency').max(4096, 'concurrency is at most 4096').optional(),
  target: z.enum(TARGETS as [string, ...string[]]).optional(),
  gpus: z.array(z.enum(GPU_IDS as [string, ...string[]])).min(1, 'gpus must name at least one GPU').optional(),
  localHosts: z.array(localHost).min(1, 'localHosts must describe at least one host').optional(),
  maxNodes: positiveInt('maxNodes').max(64, 'maxNodes is at most 64').optional(),
  engine: z.enum(ENGINES as [string, ...string[]]).optional(),
  gpuMemoryUtilization: z.number().gt(0.1, 'gpuMemoryUtilization must be above 0.1').max(0.99, 'gpuMemoryUtilization must be at most 0.99').optional(),
  capacityBlocks: z.boolean({ error: 'capacityBlocks must be true or false' }).optional(),
  // Keys are checked in parseSpec: zod's record silently drops a `__proto__` key instead of reporting it.
  priceOverrides: z.record(z.string(), z.number().positive('price must be a positive number of USD per hour')).optional(),
  instanceType: z.string().min(1).optional(),
  nodes: positiveInt('nodes').max(64, 'nodes is at most 64').optional(),
  tensorParallelSize: positiveInt('tensorParallelSize').optional(),
  pipelineParallelSize: positiveInt('pipelineParallelSize').optional(),
  dataParallelSize: positiveInt('dataParallelSize').optional(),
  expertParallel: z.boolean({ error: 'expertParallel must be true or false' }).optional(),
  port: positiveInt('port').max(65535, 'port must be at most 65535').optional(),
  // Target cpu only; validated in detail by the CPU planner.
  cpuHost: z.record(z.string(), z.unknown()).optional(),
  ggufFile: checked(containedPathProblem).optional(),
});

/** Turn zod's issues into ours: the path, the message, and the value that was given. */
export function toIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
    const input = (i as { input?: unknown }).input;
    const got = input === undefined ? '' : `, got ${JSON.stringify(input)}`;
    const message = i.code === 'unrecognized_keys' ? `unknown field(s) ${(i as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ')}` : `${i.message}${got}`;
    return { path, message };
  });
}

/**
 * Validate a spec's structure. Every problem is collected and thrown once as a `PlanError`.
 * Also checks the cross-field rules: exactly one of `model` / `hfConfig`.
 */
export function parseSpec(input: unknown): DeploymentSpec {
  const result = deploymentSpecSchema.safeParse(input, { reportInput: true });
  const issues: Issue[] = result.success ? [] : toIssues(result.error);
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (raw.model === undefined && raw.hfConfig === undefined) {
    issues.push({ path: 'model', message: 'give a model id (e.g. "deepseek-r1") or a Hugging Face config (hfConfig / --hf-config)' });
  }
  if (Array.isArray(raw.localHosts)) {
    raw.localHosts.forEach((h: unknown, i: number) => {
      const host = (typeof h === 'object' && h !== null ? h : {}) as Record<string, unknown>;
      if (host.gpu === 'custom' && host.customGpu === undefined) {
        issues.push({ path: `localHosts[${i}].customGpu`, message: 'a custom GPU needs at least its memory: customGpu.memoryGiB (--local-gpus custom:COUNT:mem=GiB)' });
      }
      if (host.gpu !== 'custom' && host.customGpu !== undefined) {
        issues.push({ path: `localHosts[${i}].customGpu`, message: `applies to gpu "custom" only, not "${String(host.gpu)}"` });
      }
    });
  }
  if (typeof raw.hfConfig === 'object' && raw.hfConfig !== null && !Array.isArray(raw.hfConfig)) {
    issues.push(...hfConfigBoundIssues(raw.hfConfig as Record<string, unknown>));
  }
  if (typeof raw.priceOverrides === 'object' && raw.priceOverrides !== null) {
    for (const key of Object.keys(raw.priceOverrides)) {
      const message = instanceTypeProblem(key);
      if (message) issues.push({ path: 'priceOverrides', message });
    }
  }
  if (raw.model !== undefined && raw.hfConfig !== undefined) {
    issues.push({ path: 'model', message: 'give either model or hfConfig, not both' });
  }
  if (issues.length > 0) throw new PlanError(issues);
  return result.data as DeploymentSpec;
}
