import { readFileSync } from 'fs';
import { join } from 'path';
import {
  FAMILIES, PATHS, buildRows, familyOf, parseInstanceTypesMd, parsePricingGo, renderModule, trimSources,
} from '../../scripts/aws-catalog';
import { AWS_EC2_ROWS, KARPENTER_COMMIT } from '../../lib/catalog/aws-ec2.generated';
import { getInstance } from '../../lib/catalog/instances';

/*
 * The fixture is a cut of the two Karpenter files (aws/karpenter-provider-aws@1d92708): three priced
 * g7e/p6-b300 lines plus an unrelated family and a second region, and three instance sections (one of
 * a family the catalog does not plan on). Expected values are read off the fixture text by hand.
 */
const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'karpenter', name), 'utf8');

describe('scripts/aws-catalog.ts on a fixture', () => {
  const pricing = parsePricingGo(fixture('pricing.go.txt'));
  const types = parseInstanceTypesMd(fixture('instance-types.md'));

  test('reads the snapshot time and only the us-east-1 map', () => {
    expect(pricing.generatedAt).toBe('2026-07-20T13:44:30Z');
    expect(pricing.region).toBe('us-east-1');
    expect(pricing.usdPerHour['g7e.2xlarge']).toBe(3.36312); // "3.363120", not us-west-2's 9.999999
    expect(pricing.usdPerHour['p6-b300.48xlarge']).toBe(142.416);
    expect(Object.keys(pricing.usdPerHour)).toHaveLength(2 + 6 + 1);
  });

  test('reads every label and resource of a section', () => {
    expect(Object.keys(types)).toEqual(['g7e.2xlarge', 'm7g.large', 'p6-b300.48xlarge']);
    expect(types['p6-b300.48xlarge']['vpc.amazonaws.com/efa']).toBe('16');
    expect(types['g7e.2xlarge']['karpenter.k8s.aws/instance-gpu-name']).toBe('rtx-pro-server-6000');
  });

  test('builds rows of the catalog families in the catalog units', () => {
    const rows = buildRows(types, pricing);
    expect(rows).toEqual([
      // 65536 MiB / 1024 = 64 GiB; 50000 Mbps / 1000 = 50 Gbps; no EFA resource → 0.
      { instanceType: 'g7e.2xlarge', gpuName: 'rtx-pro-server-6000', gpuCount: 1, gpuMemoryMiB: 98_304, vcpus: 8, memoryGiB: 64, networkGbps: 50, efaInterfaces: 0, localNvmeGB: 1_900, cpuArchitecture: 'x86_64', hourlyUsd: 3.36312 },
      // 4194304 MiB / 1024 = 4096 GiB; 6400000 Mbps = 6400 Gbps.
      { instanceType: 'p6-b300.48xlarge', gpuName: 'b300', gpuCount: 8, gpuMemoryMiB: 275_040, vcpus: 192, memoryGiB: 4_096, networkGbps: 6_400, efaInterfaces: 16, localNvmeGB: 30_400, cpuArchitecture: 'x86_64', hourlyUsd: 142.416 },
    ]);
  });

  test('the rendered module names the commit and is deterministic', () => {
    const rows = buildRows(types, pricing);
    const text = renderModule(rows, pricing, 'abc123');
    expect(text).toContain("export const KARPENTER_COMMIT = 'abc123';");
    expect(text).toContain("{ instanceType: 'p6-b300.48xlarge', gpuName: 'b300', gpuCount: 8,");
    expect(renderModule(rows, pricing, 'abc123')).toBe(text);
  });

  test('trimming keeps the wanted families and drops the rest', () => {
    const trimmed = trimSources(fixture('pricing.go.txt'), fixture('instance-types.md'));
    expect(trimmed.pricing).toContain('"p6-b300.48xlarge": 142.416000');
    expect(trimmed.pricing).not.toContain('a1.2xlarge');
    expect(trimmed.pricing).not.toContain('9.999999');
    expect(Object.keys(parseInstanceTypesMd(trimmed.instanceTypes))).toEqual(['g7e.2xlarge', 'p6-b300.48xlarge']);
  });

  test('a section with an unknown architecture is refused, naming the type', () => {
    const bad = fixture('instance-types.md').replace('|kubernetes.io/arch|amd64|', '|kubernetes.io/arch|riscv|');
    expect(() => buildRows(parseInstanceTypesMd(bad), pricing)).toThrow(/g7e\.2xlarge: kubernetes\.io\/arch "riscv"/);
  });
});

describe('the committed catalog is what the script generates from the pinned data', () => {
  const pricingText = readFileSync(PATHS.PRICING_FILE, 'utf8');
  const pricing = parsePricingGo(pricingText);
  const rows = buildRows(parseInstanceTypesMd(readFileSync(PATHS.TYPES_FILE, 'utf8')), pricing);

  test('aws-ec2.generated.ts is up to date (run `scripts/aws-catalog.ts generate` after changing scripts/data)', () => {
    const commit = readFileSync(PATHS.COMMIT_FILE, 'utf8').trim();
    expect(readFileSync(PATHS.OUT, 'utf8')).toBe(renderModule(rows, pricing, commit));
    expect(KARPENTER_COMMIT).toBe(commit);
    expect(AWS_EC2_ROWS).toEqual(rows);
  });

  // Every catalog price equals the number printed in the pinned Go file, character for character.
  test.each(rows.filter((r) => r.hourlyUsd !== undefined).map((r) => [r.instanceType] as const))('%s: catalog price = the pinned table', (type) => {
    const printed = new RegExp(`"${type.replace(/\./g, '\\.')}": ([0-9.]+)`).exec(pricingText)![1];
    expect(getInstance(type)?.hourlyUsd).toBe(Number(printed));
  });

  test('every generated row belongs to a planned family', () => {
    for (const r of rows) expect(FAMILIES).toContain(familyOf(r.instanceType));
  });
});
