/**
 * The hardware shapes every local renderer is tested on: each vendor (NVIDIA, AMD MI300X) at one
 * GPU, eight GPUs and several hosts, plus the CPU fallback. Plans come from the real planners.
 */
import { planDeployment, type Plan } from '../../../lib';
import { planCpuDeployment } from '../../../lib/plan/cpu';

export type ShapeId = 'nvidia-1gpu' | 'nvidia-8gpu' | 'nvidia-multi' | 'nvidia-multi-sglang' | 'amd-1gpu' | 'amd-8gpu' | 'amd-multi' | 'cpu';

interface Shape {
  readonly vendor: 'nvidia' | 'amd' | 'cpu';
  readonly gpusPerNode: number;
  readonly nodes: number;
  readonly make: () => Plan;
}

export const SHAPES: Readonly<Record<ShapeId, Shape>> = {
  'nvidia-1gpu': {
    vendor: 'nvidia', gpusPerNode: 1, nodes: 1,
    make: () => planDeployment({ model: 'deepseek-r1-distill-qwen-7b', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 1 }] }),
  },
  'nvidia-8gpu': {
    vendor: 'nvidia', gpusPerNode: 8, nodes: 1,
    make: () => planDeployment({ model: 'deepseek-r1-distill-llama-70b', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 8 }] }),
  },
  'nvidia-multi': {
    vendor: 'nvidia', gpusPerNode: 8, nodes: 2,
    make: () => planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 8 }, { gpu: 'h100', gpuCount: 8 }] }),
  },
  'nvidia-multi-sglang': {
    vendor: 'nvidia', gpusPerNode: 8, nodes: 2,
    make: () => planDeployment({ model: 'deepseek-r1', precision: 'fp8', engine: 'sglang', target: 'local', localHosts: [{ gpu: 'h100', gpuCount: 8 }, { gpu: 'h100', gpuCount: 8 }] }),
  },
  'amd-1gpu': {
    vendor: 'amd', gpusPerNode: 1, nodes: 1,
    make: () => planDeployment({ model: 'deepseek-r1-distill-qwen-7b', target: 'local', localHosts: [{ gpu: 'mi300x', gpuCount: 1 }] }),
  },
  'amd-8gpu': {
    vendor: 'amd', gpusPerNode: 8, nodes: 1,
    make: () => planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'local', localHosts: [{ gpu: 'mi300x', gpuCount: 8 }] }),
  },
  'amd-multi': {
    vendor: 'amd', gpusPerNode: 8, nodes: 2,
    make: () => planDeployment({ model: 'deepseek-r1', precision: 'fp8', target: 'local', nodes: 2, localHosts: [{ gpu: 'mi300x', gpuCount: 8 }, { gpu: 'mi300x', gpuCount: 8 }] }),
  },
  cpu: {
    vendor: 'cpu', gpusPerNode: 0, nodes: 1,
    make: () => planCpuDeployment({ model: 'deepseek-r1', host: { ramGiB: 512 } }),
  },
};

const cache = new Map<ShapeId, Plan>();

/** The plan of a shape (planned once per test file). */
export function planOf(id: ShapeId): Plan {
  let plan = cache.get(id);
  if (!plan) {
    plan = SHAPES[id].make();
    cache.set(id, plan);
  }
  return plan;
}

export const SHAPE_IDS = Object.keys(SHAPES) as ShapeId[];
export const GPU_SHAPE_IDS = SHAPE_IDS.filter((id) => SHAPES[id].vendor !== 'cpu');
