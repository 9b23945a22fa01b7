import type { Plan } from '../../lib';
import { billions, gb, gib, memoryBar, table, usd } from './format';
import { adapterLine } from '../../lib/deploy/adapter-for-target';

/** The human view of a plan: what runs where, the memory of one GPU, cost, and why. */
export function renderPlan(plan: Plan): string {
  const m = plan.memory;
  const t = plan.topology;
  const out: string[] = [];
  out.push(`${plan.model.displayName} (${plan.model.id})  ${billions(plan.model.totalParams)} params, ${billions(plan.model.activeParams)} active, ${plan.model.attention.toUpperCase()}${plan.model.moe ? ' + MoE' : ''}, ${plan.model.layers} layers, max context ${plan.model.maxContextTokens}`);
  out.push(`precision ${plan.precision.weights} weights, ${plan.precision.kvCache} KV cache; workload ${plan.workload.concurrency} × ${plan.workload.contextTokens}-token requests`);
  out.push('');
  const cpu = t.gpu === 'cpu';
  if (cpu) out.push(`Host:     CPU only (${t.instanceType}), llama.cpp`);
  else out.push(`Topology: ${t.nodes} × ${t.instanceType} (${t.gpusPerNode} × ${t.gpu} each, ${t.gpusPerNode * t.nodes} GPUs), ${t.dataParallelSize > 1 ? `DP ${t.dataParallelSize} attention + EP ${t.expertParallelSize}` : `TP ${t.tensorParallelSize} × PP ${t.pipelineParallelSize}${t.expertParallel ? ` + EP ${t.expertParallelSize}` : ''}`}${t.replicas > 1 ? ` × ${t.replicas} replicas` : ''}${t.nodes > 1 ? `, ${t.interconnect}${t.efaInterfacesPerNode ? ` × ${t.efaInterfacesPerNode}` : ''}` : ''}`);
  out.push(
    plan.cost.hourlyUsd === undefined
      ? `Cost:     no price (${t.target === 'aws' || t.target === 'azure' ? 'none confirmed for this type; give --price' : 'your own hardware'})`
      : `Cost:     ${usd(plan.cost.hourlyUsd)}/hour${plan.cost.priceRegion ? ` (${plan.cost.priceRegion}, price of ${plan.cost.priceDate})` : ''}; ${usd(plan.estimates.usdPerMillionOutputTokens)} per million output tokens`,
  );
  out.push(`Decode:   ~${plan.estimates.decodeTokensPerSecond} tok/s aggregate, ~${plan.estimates.singleStreamTokensPerSecond} tok/s single stream (${plan.estimates.basis})`);
  out.push('');
  out.push(cpu ? `Host RAM (${gib(m.gpuCapacityBytes)}):` : `Memory per GPU (most loaded GPU, ${gib(m.gpuCapacityBytes)} visible, budget ${gib(m.budgetBytesPerGpu)} at ${m.gpuMemoryUtilization}):`);
  out.push(
    memoryBar(
      [
        { label: 'weights', bytes: m.weightsBytesPerGpu, char: '█' },
        { label: 'KV (workload)', bytes: m.kvCacheBytesPerGpu, char: '▓' },
        { label: 'runtime', bytes: m.overheadBytesPerGpu, char: '▒' },
        { label: 'spare KV pool', bytes: Math.max(0, m.kvPoolBytesPerGpu - m.kvCacheBytesPerGpu), char: '░' },
      ],
      m.gpuCapacityBytes,
    ),
  );
  out.push(`  weights whole model ${gb(m.weightsBytes)}; KV ${m.kvCacheBytesPerToken} B/token (whole model), ${m.kvCacheBytesPerTokenPerGpu} B/token ${cpu ? 'in RAM' : 'per GPU (heaviest stage)'}`);
  out.push(`  KV pool ${gib(m.kvPoolBytesPerGpu)}${cpu ? '' : ' per GPU'} holds ${m.kvTokenCapacity.toLocaleString('en-US')} tokens: max concurrency ${m.maxConcurrency} at ${plan.workload.contextTokens} tokens; headroom ${gib(m.headroomBytesPerGpu)}`);
  out.push('');
  out.push(`Storage:  checkpoint ${gb(plan.storage.checkpointBytes)}, volume ${plan.storage.volumeGiB} GiB${plan.storage.preferInstanceStore ? `, instance-store NVMe (${plan.storage.localNvmeGB} GB) as the load cache` : ''}`);
  out.push(`Serving:  ${plan.serving.engine} ${plan.serving.image}`);
  if (!plan.serving.multiNode) out.push(`  ${plan.serving.command.join(' ')}`);
  else {
    out.push(`  head:    ${plan.serving.multiNode.headCommand.join(' ')}`);
    out.push(`  workers: ${plan.serving.multiNode.workerCommand.join(' ')}`);
  }
  out.push(`Deploy:   ${adapterLine(t.target)}`);
  if (plan.alternatives.length > 0) {
    out.push('');
    out.push('Alternatives:');
    out.push(
      table(
        ['instance', 'nodes', 'GPUs', 'TP×PP', '$/hour', 'per GPU', 'headroom', 'max conc.'],
        plan.alternatives.map((a) => [
          a.topology.instanceType,
          String(a.topology.nodes),
          `${a.topology.gpusPerNode * a.topology.nodes} × ${a.topology.gpu}`,
          `${a.topology.tensorParallelSize}×${a.topology.pipelineParallelSize}`,
          usd(a.cost.hourlyUsd),
          gib(a.perGpuBytes),
          gib(a.headroomBytesPerGpu),
          String(a.maxConcurrency),
        ]),
        ['l', 'r', 'l', 'l', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  out.push('');
  out.push('Decisions:');
  for (const d of plan.decisions) out.push(`  ${d.field} = ${d.value}: ${d.reason}`);
  if (plan.warnings.length > 0) {
    out.push('');
    out.push('Warnings:');
    for (const w of plan.warnings) out.push(`  ! ${w}`);
  }
  return out.join('\n');
}
