import { GPU_VISIBLE_MEMORY } from '../../lib/catalog/gpu-visible-memory';
import { getGpu } from '../../lib/catalog/gpus';
import { GPU_IDS } from '../../lib/types';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

describe('GPU_VISIBLE_MEMORY', () => {
  it('has exactly one entry per GpuId', () => {
    expect(Object.keys(GPU_VISIBLE_MEMORY).sort()).toEqual([...GPU_IDS].sort());
  });

  // The driver reserves part of the framebuffer, so CUDA/ROCm must see less than the provider reports
  // (EC2 GpuInfo MiB), but never lose as much as 10 % of it; same floor against the marketed capacity.
  it.each(GPU_IDS)('%s: visible memory is below the reported memory and above 90 %% of it', (id) => {
    const { visibleBytes } = GPU_VISIBLE_MEMORY[id];
    const gpu = getGpu(id);
    const reportedBytes = gpu.reportedMemoryMiB * MIB;
    expect(Number.isInteger(visibleBytes)).toBe(true);
    expect(visibleBytes).toBeLessThan(reportedBytes);
    expect(visibleBytes).toBeGreaterThan(0.9 * reportedBytes);
    expect(visibleBytes).toBeGreaterThan(0.9 * gpu.memoryBytes);
  });

  it.each(GPU_IDS)('%s: carries its verbatim line and a source; estimates say how they were made', (id) => {
    const { verbatim, source } = GPU_VISIBLE_MEMORY[id];
    expect(verbatim.trim().length).toBeGreaterThan(0);
    expect(source.url.length).toBeGreaterThan(0);
    if (source.status === 'unconfirmed') expect(source.note ?? '').toMatch(/taken as/);
  });

  // vLLM 0.19.0 start-up logs (llm-d-planner @ d3121e0, transcribed in test/fixtures/calibration.ts): "total_memory=79.19GiB" on H100 80GB.
  it('H100 matches the calibration file (79.19 GiB ± 0.02)', () => {
    expect(Math.abs(GPU_VISIBLE_MEMORY.h100.visibleBytes / GIB - 79.19)).toBeLessThanOrEqual(0.02);
  });

  // At gpu_memory_utilization 0.95 the same logs' figures close on a 75.23 GiB budget (79.19 × 0.95 = 75.2305;
  // docs/calibration.md, Llama-3.1-8B TP1: 75.23 = 14.99 + 1.89 + 0.25 + 58.11 GiB).
  it('H100 budget at gpu_memory_utilization 0.95 is 75.23 GiB', () => {
    const budgetGiB = (GPU_VISIBLE_MEMORY.h100.visibleBytes * 0.95) / GIB;
    expect(Math.abs(budgetGiB - 75.23)).toBeLessThan(0.01);
  });

  // Figures printed by the tools themselves (see each entry's source):
  // B200 "Total Global Memory: 178.35 GB" (pytorch/ao #4002), A100 40GB "39.39 GiB total capacity",
  // MI300X PyTorch "191.98 GiB", L4 deviceQuery 22478 MBytes = 21.95 GiB.
  it.each([
    ['b200', 178.35],
    ['a100-40gb', 39.39],
    ['mi300x', 191.98],
    ['l4', 21.95],
  ] as const)('%s shows %s GiB to two decimals', (id, gib) => {
    expect(Math.abs(GPU_VISIBLE_MEMORY[id].visibleBytes / GIB - gib)).toBeLessThan(0.005);
  });
});
