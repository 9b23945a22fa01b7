import fc from 'fast-check';
import { enumerateCandidates, compareCandidates, planDeployment, planRequest, resolveRequest, isPlanError, INSTANCES, MODELS, type DeploymentSpec, type Plan } from '../../lib';

const modelIds = MODELS.map((m) => m.id);
const smallOrMid = modelIds.filter((id) => !/v3|r1$|r1-0528|v2$|v2-chat|v2\.5|coder-v2$/.test(id));

const specArb = fc.record({
  model: fc.constantFrom(...modelIds),
  precision: fc.constantFrom('bf16', 'fp8', 'int8', 'int4'),
  contextTokens: fc.constantFrom(1024, 4096, 8192, 16384),
  concurrency: fc.integer({ min: 1, max: 16 }),
  kvCacheDtype: fc.constantFrom('auto', 'fp8'),
  engine: fc.constantFrom('vllm', 'sglang'),
  gpus: fc.option(fc.constantFrom(['h100'], ['a100-80gb', 'l40s'], ['h200', 'b200'], ['l4', 'a10g']), { nil: undefined }),
}, { requiredKeys: ['model', 'precision', 'contextTokens', 'concurrency', 'kvCacheDtype', 'engine'] }) as fc.Arbitrary<DeploymentSpec>;

/**
 * How many specs each property draws, and why: a spec plans in about 50–150 ms; 60 specs per run cover each of
 * the catalog's models about twice and each precision about 15 times, and properties run on a fresh seed every
 * time the suite runs, so the space is covered across runs, not within one. The counterexample kept below was
 * found by the first property at this setting.
 */
const SPEC_RUNS = 60;
/** The pinned-topology property plans twice per run on one instance type (p5.48xlarge): 40 runs, 80 plans. */
const GROWTH_RUNS = 40;

/**
 * One fresh seed for both properties over `specArb`, so they see the same specs and each spec is planned once
 * (`planned`, `enumerated` below) for both: they check different things of the same plan. fast-check prints the
 * seed of a failure, which replays it.
 */
const SPEC_SEED = (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) | 0;

/** The result of planning a spec: a plan, a PlanError (refused input or no fit), or another error to rethrow. */
type Planned = { readonly plan: Plan } | { readonly refused: unknown } | { readonly thrown: unknown };
const planned = new Map<string, Planned>();
const enumerated = new Map<string, ReturnType<typeof enumerateCandidates>>();

/** planRequest(resolveRequest(spec)), once per spec in this file. */
function planOnce(spec: DeploymentSpec): Planned {
  const key = JSON.stringify(spec);
  let r = planned.get(key);
  if (r === undefined) {
    try {
      r = { plan: planRequest(resolveRequest(spec)) };
    } catch (e) {
      r = isPlanError(e) ? { refused: e } : { thrown: e };
    }
    planned.set(key, r);
  }
  return r;
}

function tryPlan(spec: DeploymentSpec): Plan | undefined {
  const r = planOnce(spec);
  if ('thrown' in r) throw r.thrown;
  return 'plan' in r ? r.plan : undefined;
}

/** Every candidate the planner weighs for a resolved spec, once per spec in this file. */
function candidatesOf(spec: DeploymentSpec, req: ReturnType<typeof resolveRequest>): ReturnType<typeof enumerateCandidates> {
  const key = JSON.stringify(spec);
  let all = enumerated.get(key);
  if (all === undefined) {
    all = enumerateCandidates(req);
    enumerated.set(key, all);
  }
  return all;
}

describe('planner properties (fast-check)', () => {
  test('a chosen plan always fits per GPU: workload ≤ budget and the KV pool holds every request', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const p = tryPlan(spec);
        if (!p) return;
        expect(p.memory.perGpuBytes).toBeLessThanOrEqual(p.memory.budgetBytesPerGpu);
        expect(p.memory.headroomBytesPerGpu).toBeGreaterThanOrEqual(0);
        expect(p.memory.maxConcurrency).toBeGreaterThanOrEqual(p.workload.concurrency);
        // Each DP rank and each replica holds its share; kvTokenCapacity adds up one engine's DP ranks.
        const t = p.topology;
        const perRank = Math.ceil(p.workload.concurrency / (t.dataParallelSize * t.replicas));
        expect(p.memory.kvTokenCapacity / t.dataParallelSize).toBeGreaterThanOrEqual(p.workload.contextTokens * perRank);
        expect(t.tensorParallelSize * t.pipelineParallelSize * t.dataParallelSize * t.replicas).toBe(t.gpusPerNode * t.nodes);
        expect(t.expertParallelSize).toBe(t.expertParallel ? t.tensorParallelSize * t.dataParallelSize : 1);
        expect(p.storage.volumeGiB).toBeGreaterThanOrEqual(500);
      }),
      { numRuns: SPEC_RUNS, seed: SPEC_SEED },
    );
  });

  test('more context or concurrency never needs less memory on the same topology', () => {
    fc.assert(
      fc.property(fc.constantFrom(...smallOrMid), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (model, a, b) => {
        const base = { model, precision: 'bf16' as const, instanceType: 'p5.48xlarge', nodes: 1 };
        const small = tryPlan({ ...base, contextTokens: 2048 * a, concurrency: a });
        const big = tryPlan({ ...base, contextTokens: 2048 * (a + b), concurrency: a + b });
        if (!small || !big) return;
        // Weights + KV of the workload. The overhead is left out: vLLM's sampler is profiled for the rendered
        // --max-num-seqs, which rises with the KV capacity, so a shorter context can raise the overhead.
        const need = (p: Plan) => p.memory.perGpuBytes - p.memory.overheadBytesPerGpu;
        expect(need(big)).toBeGreaterThanOrEqual(need(small));
        expect(big.memory.kvCacheBytes).toBeGreaterThan(small.memory.kvCacheBytes);
      }),
      { numRuns: GROWTH_RUNS },
    );
  });

  test('a cheaper feasible option is never skipped', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        let req;
        try {
          req = resolveRequest(spec);
        } catch (e) {
          if (isPlanError(e)) return; // e.g. a context above the model's maximum
          throw e;
        }
        const all = candidatesOf(spec, req);
        const feasible = all.filter((c) => c.rejections.length === 0);
        if (feasible.length === 0) return;
        // The planner's own choice for the same request (planned once for both properties: see SPEC_SEED).
        const chosen = tryPlan(spec);
        if (chosen === undefined) throw new Error(`${feasible.length} feasible candidate(s) but no plan for ${JSON.stringify(spec)}`);
        if (chosen.cost.hourlyUsd === undefined) return;
        // Independent of the planner's own candidate list: walk the catalog for the target and every
        // node count; each cheaper (instance, nodes) pair must have been considered and rejected.
        const gpus = spec.gpus;
        for (const inst of INSTANCES.filter((i) => i.target === (spec.target ?? 'aws') && (!gpus || gpus.some((g) => g === i.gpu)))) {
          for (let nodes = 1; nodes <= req.maxNodes; nodes++) {
            if (inst.hourlyUsd === undefined || inst.hourlyUsd * nodes >= chosen.cost.hourlyUsd - 0.005) continue;
            const seen = all.find((c) => c.instance.instanceType === inst.instanceType && c.topology.nodes === nodes);
            expect(seen).toBeDefined();
            expect(seen!.rejections.length).toBeGreaterThan(0);
          }
        }
        // And the plan is the cheapest feasible candidate: its price (rounded to cents in the plan) is the lowest
        // of them, and it is one of the candidates at that price, with the same instance, node count and layout.
        const cheapest = Math.min(...feasible.map((c) => c.hourlyUsd ?? Infinity));
        expect(Math.abs(chosen.cost.hourlyUsd - cheapest)).toBeLessThanOrEqual(0.005);
        const same = feasible.filter((c) => c.hourlyUsd === cheapest && c.instance.instanceType === chosen.topology.instanceType
          && c.topology.nodes === chosen.topology.nodes && c.topology.tensorParallelSize === chosen.topology.tensorParallelSize
          && c.topology.pipelineParallelSize === chosen.topology.pipelineParallelSize);
        expect(same).toHaveLength(1);
        // Among equally cheap candidates the comparator's order decides: fewer nodes, then more headroom.
        expect(feasible.filter((c) => compareCandidates(c, same[0]) < 0)).toEqual([]);
      }),
      { numRuns: SPEC_RUNS, seed: SPEC_SEED },
    );
  });
});

describe('counterexamples fast-check found, kept as fixed cases', () => {
  // Two pipeline stages whose heaviest weights and heaviest KV sit on different stages: the need is taken stage
  // by stage, not as the sum of the two maxima (which overstated it by 58.6 MB and reported negative headroom
  // for a plan whose KV pool holds all 9 requests).
  test('V4-Flash int8, 8K × 9, fp8 KV: the chosen plan fits per GPU', () => {
    const p = planDeployment({ model: 'deepseek-v4-flash', precision: 'int8', contextTokens: 8192, concurrency: 9, kvCacheDtype: 'fp8', engine: 'vllm' });
    expect(p.memory.maxConcurrency).toBeGreaterThanOrEqual(9);
    expect(p.memory.perGpuBytes).toBeLessThanOrEqual(p.memory.budgetBytesPerGpu);
    expect(p.memory.headroomBytesPerGpu).toBeGreaterThanOrEqual(0);
  });
});
