import { GPUS } from '../../lib/catalog/gpus';
import { INSTANCES, getInstance, instancesForTarget, withPriceOverrides } from '../../lib/catalog/instances';
import { AWS_PRICE_DATE, AWS_PRICE_REGION, PRICE_OVERRIDE_SOURCE_URL, findPriceSource } from '../../lib/catalog/prices';
import { PlanError, isPlanError } from '../../lib/errors';
import type { GpuId, InstanceSpec } from '../../lib/types';

/*
 * Sources of the expected values (keys as in docs/reference-keys.md; the 2026 rows' URLs are in docs/hardware-2026.md and the code's Source fields):
 *   [S26] karpenter instance-types.md: instance-gpu-count, instance-gpu-memory (MiB), instance-local-nvme
 *         (GB total), resource vpc.amazonaws.com/efa (max EFA interfaces).
 *   [AC]  AWS "Specifications for Amazon EC2 accelerated computing instances", instance store table
 *         ("N x size GB NVMe SSD") and performance table (GPU count for p5.4xlarge, which [S26] labels 0).
 *   [S27] karpenter zz_generated.pricing_aws.go, us-east-1 snapshot 2026-07-20 (facts §5b "after" column).
 *   [S29] MicrosoftDocs azure-docs ND-series include files.
 * NVMe totals are checked twice: devices × per-device size from [AC] must equal the [S26] total.
 */

function mustGet(instanceType: string): InstanceSpec {
  const instance = getInstance(instanceType);
  if (!instance) throw new Error(`catalog has no ${instanceType}`);
  return instance;
}

// [type, GPU count, GPU MiB, EFA, NVMe devices, GB per device [AC], NVMe total GB [S26], USD/h [S27] or undefined]
type AwsRow = readonly [string, number, number, number, number, number, number, number | undefined];

const P_FAMILY: readonly AwsRow[] = [
  ['p4d.24xlarge', 8, 40_960, 4, 8, 1_000, 8_000, 21.957642],
  ['p4de.24xlarge', 8, 81_920, 4, 8, 1_000, 8_000, 27.44705],
  ['p5.4xlarge', 1, 81_920, 1, 1, 3_800, 3_800, 6.88],
  ['p5.48xlarge', 8, 81_920, 32, 8, 3_800, 30_400, 55.04],
  // No us-east-1 on-demand price in any [S27] snapshot.
  ['p5e.48xlarge', 8, 144_384, 32, 8, 3_800, 30_400, undefined],
  ['p5en.48xlarge', 8, 144_384, 16, 8, 3_800, 30_400, 63.296],
  ['p6-b200.48xlarge', 8, 183_359, 8, 8, 3_800, 30_400, 113.9328],
  // docs/hardware-2026.md (Karpenter @1d92708): 8 × B300 at 275,040 MiB, 16 EFA, 30,400 GB NVMe, $142.416.
  ['p6-b300.48xlarge', 8, 275_040, 16, 8, 3_800, 30_400, 142.416],
];

const G_FAMILY: readonly AwsRow[] = [
  ['g5.xlarge', 1, 22_888, 0, 1, 250, 250, 1.006],
  ['g5.2xlarge', 1, 22_888, 0, 1, 450, 450, 1.212],
  ['g5.4xlarge', 1, 22_888, 0, 1, 600, 600, 1.624],
  ['g5.8xlarge', 1, 22_888, 1, 1, 900, 900, 2.448],
  ['g5.12xlarge', 4, 22_888, 1, 1, 3_800, 3_800, 5.672],
  ['g5.16xlarge', 1, 22_888, 1, 1, 1_900, 1_900, 4.096],
  ['g5.24xlarge', 4, 22_888, 1, 1, 3_800, 3_800, 8.144],
  ['g5.48xlarge', 8, 22_888, 1, 2, 3_800, 7_600, 16.288],
  ['g6.xlarge', 1, 22_888, 0, 1, 250, 250, 0.8048],
  ['g6.2xlarge', 1, 22_888, 0, 1, 450, 450, 0.9776],
  ['g6.4xlarge', 1, 22_888, 0, 1, 600, 600, 1.3232],
  ['g6.8xlarge', 1, 22_888, 1, 2, 450, 900, 2.0144],
  ['g6.12xlarge', 4, 22_888, 1, 4, 940, 3_760, 4.6016],
  ['g6.16xlarge', 1, 22_888, 1, 2, 940, 1_880, 3.3968],
  ['g6.24xlarge', 4, 22_888, 1, 4, 940, 3_760, 6.6752],
  ['g6.48xlarge', 8, 22_888, 1, 8, 940, 7_520, 13.3504],
  ['g6e.xlarge', 1, 45_776, 0, 1, 250, 250, 1.861],
  ['g6e.2xlarge', 1, 45_776, 0, 1, 450, 450, 2.24208],
  ['g6e.4xlarge', 1, 45_776, 0, 1, 600, 600, 3.00424],
  ['g6e.8xlarge', 1, 45_776, 1, 2, 450, 900, 4.52856],
  ['g6e.12xlarge', 4, 45_776, 1, 2, 1_900, 3_800, 10.49264],
  ['g6e.16xlarge', 1, 45_776, 1, 2, 950, 1_900, 7.57719],
  ['g6e.24xlarge', 4, 45_776, 2, 2, 1_900, 3_800, 15.06559],
  ['g6e.48xlarge', 8, 45_776, 4, 4, 1_900, 7_600, 30.13118],
  // g7e (docs/hardware-2026.md §AWS, Karpenter @1d92708): RTX PRO 6000 at 98,304 MiB; EFA 0/0/1/1/2/4;
  // NVMe totals 1,900 / 3,800 / 7,600 / 15,200 GB, taken as 1,900 GB per GPU (the AWS table was not read).
  ['g7e.2xlarge', 1, 98_304, 0, 1, 1_900, 1_900, 3.36312],
  ['g7e.4xlarge', 1, 98_304, 0, 1, 1_900, 1_900, 3.99816],
  ['g7e.8xlarge', 1, 98_304, 1, 1, 1_900, 1_900, 5.26824],
  ['g7e.12xlarge', 2, 98_304, 1, 2, 1_900, 3_800, 8.28608],
  ['g7e.24xlarge', 4, 98_304, 2, 4, 1_900, 7_600, 16.57216],
  ['g7e.48xlarge', 8, 98_304, 4, 8, 1_900, 15_200, 33.14432],
];

describe('AWS rows match [S26] labels, the [AC] instance-store table and [S27] prices', () => {
  test.each([...P_FAMILY, ...G_FAMILY])(
    '%s: %d GPU × %d MiB, EFA %d, NVMe %d × %d GB, $%s/h',
    (type, gpuCount, gpuMiB, efa, devices, deviceGB, totalGB, usd) => {
      const i = mustGet(type);
      expect(i.target).toBe('aws');
      expect(i.gpuCount).toBe(gpuCount);
      expect(i.gpuMemoryMiB).toBe(gpuMiB);
      expect(i.efaInterfaces).toBe(efa);
      expect(i.localNvmeDevices).toBe(devices);
      expect(devices * deviceGB).toBe(totalGB); // the two sources agree with each other
      expect(i.localNvmeGB).toBe(totalGB);
      expect(i.hourlyUsd).toBe(usd);
    },
  );

  test('p5.48xlarge is 192 vCPU, 2,048 GiB, 3,200 Gbps per [S26]/[S28]', () => {
    const i = mustGet('p5.48xlarge');
    expect([i.vcpus, i.memoryGiB, i.networkGbps]).toEqual([192, 2_048, 3_200]);
  });

  test('g6e.48xlarge is 192 vCPU, 1,536 GiB (1,572,864 MiB / 1024), 400 Gbps per [S26]', () => {
    const i = mustGet('g6e.48xlarge');
    expect([i.vcpus, i.memoryGiB, i.networkGbps]).toEqual([192, 1_572_864 / 1024, 400]);
  });

  test('small g sizes record the baseline network, not the "up to" burst ([S26] 2500 Mbps for g5.xlarge)', () => {
    expect(mustGet('g5.xlarge').networkGbps).toBe(2.5);
  });

  test('p5.4xlarge has 1 GPU and 100 Gbps per [AC]; Karpenter labels it so at the pinned commit 1d92708', () => {
    // Older Karpenter commits (0c5e7d8) labelled it instance-gpu-count 0 with no network label.
    const i = mustGet('p5.4xlarge');
    expect(i.gpuCount).toBe(1);
    expect(i.networkGbps).toBe(100);
  });
});

describe('Azure ND rows match [S29]', () => {
  // Local disk is documented in GiB; GB = GiB × 2^30 / 1e9, rounded:
  //   6000 GiB → 6442.45 → 6442; 28000 GiB → 30064.77 → 30065; 1000 GiB → 1073.74 → 1074.
  test.each([
    ['Standard_ND96asr_v4', 'a100-40gb', 40 * 1024, 96, 900, 24, 6_442],
    ['Standard_ND96isr_H100_v5', 'h100', 80 * 1024, 96, 1_900, 80, 30_065],
    ['Standard_ND96isr_MI300X_v5', 'mi300x', 192 * 1024, 96, 1_850, 80, 1_074],
  ] as const)('%s: 8 × %s, %d MiB, %d vCPU, %d GiB, %d Gbps, %d GB local disk', (type, gpu, mib, vcpus, memGiB, net, diskGB) => {
    const i = mustGet(type);
    expect(i.target).toBe('azure');
    expect(i.gpu).toBe(gpu);
    expect(i.gpuCount).toBe(8);
    expect(i.gpuMemoryMiB).toBe(mib);
    expect(i.vcpus).toBe(vcpus);
    expect(i.memoryGiB).toBe(memGiB);
    expect(i.networkGbps).toBe(net);
    expect(i.localNvmeGB).toBe(diskGB);
    expect(i.interconnect).toBe('infiniband');
    expect(i.efaInterfaces).toBe(0);
  });

  test('ND H100 v5 price is 8 GPUs × $12.29/GPU-h in eastus on 2026-11-09 (data-receipts 109, third-party) and marked so', () => {
    const i = mustGet('Standard_ND96isr_H100_v5');
    expect(i.hourlyUsd).toBeCloseTo(8 * 12.29, 10);
    expect([i.priceRegion, i.priceDate]).toEqual(['eastus', '2026-11-09']);
    expect(findPriceSource(i)?.status).toBe('third-party');
    expect(findPriceSource(i)?.url).toContain('datareceipts/data-receipts');
  });

  test('ND H200 v5 has no citable price: undefined, with the reason recorded', () => {
    const i = mustGet('Standard_ND96isr_H200_v5');
    expect(i.hourlyUsd).toBeUndefined();
    expect(findPriceSource(i)?.status).toBe('unconfirmed');
  });

  test('ND MI300X v5 price is 8 GPUs × $6/GPU-h (cliffcenter.com, third-party) and marked so', () => {
    const i = mustGet('Standard_ND96isr_MI300X_v5');
    expect(i.hourlyUsd).toBe(8 * 6);
    expect(findPriceSource(i)?.status).toBe('third-party');
  });

  test('ND A100 v4 has no citable price: undefined, with the reason recorded', () => {
    const i = mustGet('Standard_ND96asr_v4');
    expect(i.hourlyUsd).toBeUndefined();
    expect(findPriceSource(i)?.status).toBe('unconfirmed');
  });
});

describe('catalog invariants', () => {
  test('no instance type appears twice', () => {
    const types = INSTANCES.map((i) => i.instanceType);
    expect(new Set(types).size).toBe(types.length);
  });

  test('every g5/g6/g6e size from xlarge to 48xlarge is present', () => {
    const sizes = ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'];
    for (const family of ['g5', 'g6', 'g6e']) {
      for (const size of sizes) expect(getInstance(`${family}.${size}`)).toBeDefined();
    }
  });

  test('every listed p type is present, and nothing outside the brief', () => {
    const expected = [...P_FAMILY, ...G_FAMILY].map(([t]) => t).concat([
      'Standard_ND96asr_v4',
      'Standard_ND96isr_H100_v5',
      'Standard_ND96isr_MI300X_v5',
      'Standard_ND128isr_NDR_GB200_v6',
      'Standard_ND128isr_GB300_v6',
      'p6e-gb200.36xlarge',
      'p6e-gb300.36xlarge',
      'Standard_ND96isr_H200_v5',
    ]);
    expect(INSTANCES.map((i) => i.instanceType).sort()).toEqual(expected.sort());
  });

  test.each(INSTANCES.map((i) => [i.instanceType, i] as const))('%s: GPU id resolves and memory matches the GPU row', (_t, i) => {
    const gpu = GPUS[i.gpu as GpuId];
    expect(gpu).toBeDefined();
    expect(i.gpuMemoryMiB).toBe(gpu.reportedMemoryMiB);
    expect(i.gpuCount).toBeGreaterThan(0);
  });

  test.each(instancesForTarget('aws').map((i) => [i.instanceType, i] as const))(
    '%s: has sources; priced in us-east-1 at the 2026-07-20 snapshot, or says why not',
    (_t, i) => {
      expect(i.sources.length).toBeGreaterThan(0);
      for (const s of i.sources) expect(s.url.length).toBeGreaterThan(0);
      const priceSource = findPriceSource(i);
      expect(priceSource).toBeDefined();
      if (i.purchase === 'capacity-block') {
        expect(i.hourlyUsd).toBeUndefined();
        expect(priceSource?.note).toMatch(/Capacity Blocks/);
      } else if (i.hourlyUsd !== undefined) {
        expect(i.priceRegion).toBe('us-east-1');
        expect(i.priceDate).toBe('2026-07-20');
        expect(priceSource?.status).toBe('confirmed');
      } else {
        expect(i.priceRegion).toBeUndefined();
        expect(priceSource?.status).toBe('unconfirmed');
        expect(priceSource?.note).toMatch(/us-east-1/);
      }
    },
  );

  test('AWS price constants are the snapshot named in the facts table', () => {
    expect([AWS_PRICE_REGION, AWS_PRICE_DATE]).toEqual(['us-east-1', '2026-07-20']);
  });

  test.each(INSTANCES.map((i) => [i.instanceType, i] as const))('%s: interconnect follows the EFA / Azure rule', (_t, i) => {
    if (i.target === 'azure') expect(i.interconnect).toBe('infiniband');
    else expect(i.interconnect).toBe(i.efaInterfaces >= 1 ? 'efa' : 'ethernet');
  });

  test('prices, when present, are positive and finite', () => {
    for (const i of INSTANCES) {
      if (i.hourlyUsd !== undefined) {
        expect(Number.isFinite(i.hourlyUsd)).toBe(true);
        expect(i.hourlyUsd).toBeGreaterThan(0);
      }
    }
  });

  test('AWS has no MI300X type (facts §5a); MI300X is Azure-only here', () => {
    expect(instancesForTarget('aws').some((i) => i.gpu === 'mi300x')).toBe(false);
    expect(instancesForTarget('azure').some((i) => i.gpu === 'mi300x')).toBe(true);
  });

  test('the catalog cannot be mutated', () => {
    expect(Object.isFrozen(INSTANCES)).toBe(true);
    expect(Object.isFrozen(INSTANCES[0])).toBe(true);
    expect(Object.isFrozen(INSTANCES[0].sources)).toBe(true);
  });
});

describe('lookups', () => {
  test('getInstance finds exact names and returns undefined otherwise', () => {
    expect(getInstance('p5.48xlarge')?.gpu).toBe('h100');
    expect(getInstance('P5.48XLARGE')).toBeUndefined();
    expect(getInstance('p9.48xlarge')).toBeUndefined();
  });

  test('instancesForTarget splits the catalog by target: 8 p + 24 g + 6 g7e + 2 p6e on AWS, 6 ND on Azure, none local', () => {
    expect(instancesForTarget('aws')).toHaveLength(8 + 3 * 8 + 6 + 2);
    expect(instancesForTarget('azure')).toHaveLength(6);
    expect(instancesForTarget('local')).toEqual([]);
  });
});

describe('withPriceOverrides', () => {
  test('replaces the price, marks it as the caller\'s, and leaves other rows and the catalog untouched', () => {
    const out = withPriceOverrides(INSTANCES, { 'p5.48xlarge': 40.5 });
    const p5 = out.find((i) => i.instanceType === 'p5.48xlarge');
    expect(p5).toMatchObject({ hourlyUsd: 40.5, priceDate: 'override', priceRegion: 'caller' });
    expect(findPriceSource(p5 as InstanceSpec)?.url).toBe(PRICE_OVERRIDE_SOURCE_URL);
    // exactly one price source remains: the override replaced the catalog one
    expect(p5?.sources.filter((s) => s.url === PRICE_OVERRIDE_SOURCE_URL)).toHaveLength(1);
    expect(p5?.sources.some((s) => /zz_generated\.pricing_aws/.test(s.url))).toBe(false);
    // spec sources are kept
    expect(p5?.sources.some((s) => /instance-types\.md/.test(s.url))).toBe(true);

    const g5 = out.find((i) => i.instanceType === 'g5.xlarge');
    expect(g5).toBe(getInstance('g5.xlarge'));
    expect(getInstance('p5.48xlarge')?.hourlyUsd).toBe(55.04);
    expect(out).toHaveLength(INSTANCES.length);
  });

  test('prices an unpriced type (p5e.48xlarge) and drops the "no price" reason', () => {
    const p5e = withPriceOverrides(INSTANCES, { 'p5e.48xlarge': 43.26 }).find((i) => i.instanceType === 'p5e.48xlarge');
    expect(p5e?.hourlyUsd).toBe(43.26);
    expect(p5e?.sources.some((s) => s.status === 'unconfirmed' && /No us-east-1 on-demand price/.test(s.note ?? ''))).toBe(false);
  });

  test('an empty override map changes nothing', () => {
    expect(withPriceOverrides(INSTANCES, {})).toEqual([...INSTANCES]);
  });

  test('collects an unknown type and a bad price in one PlanError', () => {
    let caught: unknown;
    try {
      withPriceOverrides(INSTANCES, { 'p9.48xlarge': 12, 'g5.xlarge': -1 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PlanError);
    expect(isPlanError(caught)).toBe(true);
    const issues = (caught as PlanError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['priceOverrides.g5.xlarge', 'priceOverrides.p9.48xlarge']);

    const unknown = issues.find((i) => i.path === 'priceOverrides.p9.48xlarge');
    expect(unknown?.message).toMatch(/"p9\.48xlarge"/);
    expect(unknown?.message).toMatch(/12/);
    expect(unknown?.message).toMatch(/valid types: .*p5\.48xlarge/);
    expect(unknown?.message).toMatch(/Standard_ND96isr_H100_v5/);

    const bad = issues.find((i) => i.path === 'priceOverrides.g5.xlarge');
    expect(bad?.message).toMatch(/positive finite number/);
    expect(bad?.message).toMatch(/-1/);
  });

  test.each([
    ['zero', 0, '0'],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['a string from untyped JSON', '5' as unknown as number, '"5"'],
  ])('rejects %s as a price, naming the value', (_label, value, shown) => {
    expect(() => withPriceOverrides(INSTANCES, { 'g6.xlarge': value })).toThrow(PlanError);
    try {
      withPriceOverrides(INSTANCES, { 'g6.xlarge': value });
    } catch (e) {
      expect((e as PlanError).issues).toEqual([
        { path: 'priceOverrides.g6.xlarge', message: expect.stringContaining(`got ${shown}`) },
      ]);
    }
  });

  test('a key that is both unknown and badly priced yields both issues', () => {
    try {
      withPriceOverrides(INSTANCES, { nope: 0 });
      throw new Error('expected a PlanError');
    } catch (e) {
      expect(isPlanError(e)).toBe(true);
      expect((e as PlanError).issues.map((i) => i.path)).toEqual(['priceOverrides.nope', 'priceOverrides.nope']);
    }
  });

  test('validates against the list it is given, not the whole catalog', () => {
    const azureOnly = instancesForTarget('azure');
    expect(() => withPriceOverrides(azureOnly, { 'p5.48xlarge': 50 })).toThrow(/not a catalog instance type/);
  });
});

describe('2026 instance types', () => {
  // docs/hardware-2026.md: P6e UltraServers are Grace (arm64) and sold only as Capacity Blocks;
  // ND GB200/GB300 v6 are Grace too. Every other type is x86_64 (Karpenter kubernetes.io/arch amd64).
  test.each([
    ['p6e-gb200.36xlarge', 'gb200', 4],
    ['p6e-gb300.36xlarge', 'gb300', 4],
  ] as const)('%s: 4 × %s, arm64, Capacity Blocks only, no on-demand price', (type, gpu, count) => {
    const i = mustGet(type);
    expect([i.gpu, i.gpuCount, i.cpuArchitecture, i.purchase, i.hourlyUsd]).toEqual([gpu, count, 'arm64', 'capacity-block', undefined]);
  });

  test('Standard_ND128isr_NDR_GB200_v6: "4 Disks, 16TB NVME Direct", 128 vCPUs, arm64 (MicrosoftDocs nd-gb200-v6-series-specs)', () => {
    const t = getInstance('Standard_ND128isr_NDR_GB200_v6');
    expect(t).toMatchObject({ localNvmeDevices: 4, localNvmeGB: 16_000, vcpus: 128, cpuArchitecture: 'arm64', gpuCount: 4 });
  });

  test('p6e-gb200.36xlarge: 3 × 7,500 GB NVMe, 3,200 Gbps (AWS accelerated-computing tables)', () => {
    const i = mustGet('p6e-gb200.36xlarge');
    expect([i.localNvmeDevices, i.localNvmeGB, i.networkGbps]).toEqual([3, 3 * 7_500, 3_200]);
  });

  test.each([
    ['Standard_ND128isr_NDR_GB200_v6', 'gb200'],
    ['Standard_ND128isr_GB300_v6', 'gb300'],
  ] as const)('%s: 4 × %s on Grace (arm64), unpriced with the reason recorded', (type, gpu) => {
    const i = mustGet(type);
    expect([i.target, i.gpu, i.gpuCount, i.cpuArchitecture, i.hourlyUsd]).toEqual(['azure', gpu, 4, 'arm64', undefined]);
    expect(findPriceSource(i)?.note).toMatch(/priceOverrides/);
  });

  test('every other type is x86_64 and sold on demand', () => {
    const grace = new Set(['p6e-gb200.36xlarge', 'p6e-gb300.36xlarge', 'Standard_ND128isr_NDR_GB200_v6', 'Standard_ND128isr_GB300_v6']);
    for (const i of INSTANCES.filter((x) => !grace.has(x.instanceType))) {
      expect(i.cpuArchitecture).toBe('x86_64');
      expect(i.purchase ?? 'on-demand').toBe('on-demand');
    }
  });
});
