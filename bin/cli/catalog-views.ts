import { countParams, GPU_VISIBLE_MEMORY, GPUS, INSTANCES, MODELS, attentionKind, releasedPrecision, type GpuId, type Target } from '../../lib';
import { compareWithArticle } from '../../lib/report/article-table';
import { billions, gib, table, usd } from './format';

export function modelsJson(): object[] {
  return MODELS.map((m) => {
    const p = countParams(m);
    return {
      id: m.id, hfId: m.hfId, displayName: m.displayName, totalParams: p.total, activeParams: p.active, memoryParams: p.memoryParams,
      attention: attentionKind(m), moe: Boolean(m.moe), layers: m.numLayers, maxContextTokens: m.maxContextTokens,
      maxPositionEmbeddings: m.maxPositionEmbeddings ?? m.maxContextTokens, speculativeDraft: m.speculativeDraft,
      releasedPrecision: releasedPrecision(m),
    };
  });
}

/**
 * `models`: every field of `models --json` that a reader compares models by. `engram` is V4.1's
 * memory-table parameters (counted apart from `params`), `max pos` the config's
 * max_position_embeddings (what the engines accept, above the published `context`), `draft` the
 * speculative draft stored in the checkpoint (MTP layers or DSpark stages).
 */
export function modelsTable(): string {
  return table(
    ['id', 'hugging face id', 'params', 'active', 'engram', 'attention', 'layers', 'context', 'max pos', 'draft', 'released'],
    modelsJson().map((m: any) => [
      m.id, m.hfId ?? '', billions(m.totalParams), billions(m.activeParams), m.memoryParams > 0 ? billions(m.memoryParams) : '-',
      m.attention + (m.moe ? '+moe' : ''), String(m.layers), String(m.maxContextTokens), String(m.maxPositionEmbeddings),
      m.speculativeDraft ? `${m.speculativeDraft.method} × ${m.speculativeDraft.layers}` : '-', m.releasedPrecision,
    ]),
    ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'l', 'l'],
  );
}

export function gpusJson(): object[] {
  return Object.values(GPUS).map((g) => ({
    id: g.id, name: g.name, vendor: g.vendor, architecture: g.architecture, memoryBytes: g.memoryBytes,
    visibleMemoryBytes: GPU_VISIBLE_MEMORY[g.id as GpuId].visibleBytes, memoryBandwidthGBps: g.memoryBandwidthGBps,
    bf16DenseTflops: g.bf16DenseTflops, fp8DenseTflops: g.fp8DenseTflops, fp4DenseTflops: g.fp4DenseTflops,
    nativeFp8: g.nativeFp8, nativeFp4: g.nativeFp4, weightOnlyFp8: g.weightOnly.fp8, weightOnlyFp4: g.weightOnly.fp4,
    interconnect: g.intraNodeLink, interconnectKind: g.intraNodeLinkKind,
    interconnectGBpsPerDirection: g.intraNodeLinkGBpsPerDirection,
  }));
}

export function gpusTable(): string {
  return table(
    ['id', 'name', 'vendor', 'visible', 'GB/s', 'BF16 TF', 'FP8 TF', 'FP4 TF', 'FP8', 'FP4', 'link'],
    gpusJson().map((g: any) => [g.id, g.name, g.vendor, gib(g.visibleMemoryBytes), String(g.memoryBandwidthGBps), String(g.bf16DenseTflops), g.fp8DenseTflops ? String(g.fp8DenseTflops) : '-', g.fp4DenseTflops ? String(g.fp4DenseTflops) : '-', g.nativeFp8 ? 'native' : g.weightOnlyFp8 === 'dense' ? 'weight-only' : 'no', g.nativeFp4 ? 'native' : g.weightOnlyFp4 ? 'weight-only' : 'no', g.interconnect]),
    ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l'],
  );
}

/** `instances --json`: the contract fields, plus the rest of the spec. */
export function instancesJson(target?: Target): object[] {
  return INSTANCES.filter((i) => !target || i.target === target).map((i) => ({
    instanceType: i.instanceType, target: i.target, gpu: i.gpu, gpuCount: i.gpuCount,
    gpuMemoryBytes: i.gpuMemoryMiB * 2 ** 20, hourlyUsd: i.hourlyUsd, efa: i.efaInterfaces,
    vcpus: i.vcpus, memoryGiB: i.memoryGiB, interconnect: i.interconnect, localNvmeGB: i.localNvmeGB,
    cpuArchitecture: i.cpuArchitecture, purchase: i.purchase ?? 'on-demand',
    priceRegion: i.priceRegion, priceDate: i.priceDate,
  }));
}

export function instancesTable(target?: Target): string {
  return table(
    ['instance', 'target', 'GPUs', 'GPU mem', 'CPU', 'vCPU', 'RAM GiB', 'EFA', 'NVMe GB', '$/hour'],
    instancesJson(target).map((i: any) => [i.instanceType, i.target, `${i.gpuCount} × ${i.gpu}`, gib(i.gpuMemoryBytes, 0), i.cpuArchitecture, String(i.vcpus), String(i.memoryGiB), String(i.efa), String(i.localNvmeGB), i.purchase === 'capacity-block' && i.hourlyUsd === undefined ? 'Capacity Blocks' : usd(i.hourlyUsd)]),
    ['l', 'l', 'l', 'r', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function articleJson(): object[] {
  return compareWithArticle();
}

export function articleTable(): string {
  const rows = compareWithArticle();
  const body = table(
    ['size', 'model we size', 'article FP16', 'rule ×1.15', 'exact FP16', 'article 4-bit', 'rule ×1.15', 'exact int4', 'FP16 on AWS', 'int4 on AWS'],
    rows.map((c) => [
      c.row.label, c.row.modelId, `~${c.row.articleFp16GB} GB`, `${c.ruleFp16GB.toFixed(1)} GB`, `${c.ourFp16WeightsGB.toFixed(1)} GB`,
      `~${c.row.article4bitGB} GB`, `${c.rule4bitGB.toFixed(1)} GB`, `${c.our4bitWeightsGB.toFixed(1)} GB`, c.fp16Recommendation, c.int4Recommendation,
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
  );
  const notes = rows.flatMap((c) => c.notes.map((n) => `  ${c.row.label}: ${n}`));
  return [
    'The background article\'s hardware table, recomputed ("rule" = nominal params × bytes × 1.15, the article\'s own rule;',
    '"exact" = GPU-resident weights from the architecture: int4 includes group-128 scales and 16-bit embeddings; recommendations at 4K context, one request):',
    '',
    body,
    '',
    'Notes:',
    ...(notes.length > 0 ? notes : ['  none']),
    '',
    // The article (2025-01-27) sizes V3/R1 and the distills; its rows stay its own. The later models are not in it.
    'The article predates DeepSeek-V3.2, V4 and V4.1 (sparse and hybrid attention, FP4 experts): `models` lists them and `plan --model` sizes them.',
  ].join('\n');
}
