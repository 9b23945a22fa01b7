/**
 * scripts/azure-prices.ts on the fixture export (test/fixtures/azure-retail-prices): only the
 * Linux pay-as-you-go hourly row of a catalog size in the region survives, the latest effective
 * date wins, malformed items are reported, and the generated module evaluates to PriceEntry records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import { isLinuxOnDemand, parseExport, renderModule, selectPrices, RETAIL_PRICES_API } from '../../scripts/azure-prices';
import { instancesForTarget } from '../../lib/catalog/instances';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'azure-retail-prices', 'export.json'), 'utf8'));
const sizes = instancesForTarget('azure').map((i) => i.instanceType);

test('the fixture parses without issues', () => {
  const { items, currency, issues } = parseExport(fixture);
  expect(issues).toEqual([]);
  expect(items).toHaveLength(fixture.Count);
  expect(currency).toBe('USD');
});

test('eastus: the Linux consumption row of each catalog size; Windows, Spot, Low Priority, Reservation, other regions and non-catalog sizes are dropped', () => {
  const prices = selectPrices(parseExport(fixture).items, 'eastus', sizes, 'USD');
  expect(prices.map((p) => [p.armSkuName, p.hourlyUsd, p.date])).toEqual([
    // Linux meter of the H100 rows (Windows 102.736, Spot 18.169536, Low Priority 41.094 and the reservation are filtered out).
    ['Standard_ND96isr_H100_v5', 98.32, '2024-01-01'],
    // Two MI300X rows: the later effectiveStartDate (2025-03-01, 44) replaces the earlier (2024-06-01, 40).
    ['Standard_ND96isr_MI300X_v5', 44, '2025-03-01'],
  ]);
  expect(selectPrices(parseExport(fixture).items, 'westus3', sizes, 'USD').map((p) => p.hourlyUsd)).toEqual([90]);
});

test('isLinuxOnDemand reads the documented fields', () => {
  const base = { armSkuName: 'x', armRegionName: 'eastus', retailPrice: 1, unitOfMeasure: '1 Hour', type: 'Consumption', effectiveStartDate: '2024-01-01', productName: 'Virtual Machines X Series', meterName: 'X' };
  expect(isLinuxOnDemand(base)).toBe(true);
  expect(isLinuxOnDemand({ ...base, type: 'DevTestConsumption' })).toBe(false);
  expect(isLinuxOnDemand({ ...base, unitOfMeasure: '1/Month' })).toBe(false);
  expect(isLinuxOnDemand({ ...base, currencyCode: 'EUR' })).toBe(false);
  expect(isLinuxOnDemand({ ...base, retailPrice: 0 })).toBe(false);
});

test('malformed exports and items are reported with their path', () => {
  expect(parseExport({ value: [] }).issues).toEqual([{ path: 'Items', message: expect.stringContaining('no Items array') }]);
  const { issues } = parseExport({ Items: [{ armSkuName: 'a', armRegionName: 'eastus', unitOfMeasure: '1 Hour', type: 'Consumption', effectiveStartDate: '2024-01-01', retailPrice: 'free' }] });
  expect(issues).toEqual([{ path: 'Items[0].retailPrice', message: 'missing or invalid retailPrice' }]);
});

test('the generated module evaluates to PriceEntry records citing the API', () => {
  const src = renderModule(selectPrices(parseExport(fixture).items, 'eastus', sizes, 'USD'), 'export.json');
  const js = transformSync(src, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code;
  const mod: { exports: Record<string, any> } = { exports: {} };
  new Function('module', 'exports', 'require', js)(mod, mod.exports, require);
  expect(mod.exports.AZURE_RETAIL_PRICES.Standard_ND96isr_H100_v5).toEqual({
    hourlyUsd: 98.32, region: 'eastus', date: '2024-01-01',
    source: { url: RETAIL_PRICES_API, status: 'confirmed', note: expect.stringContaining('export.json: Virtual Machines NDsr H100 v5 Series / ND96isrH100v5') },
  });
});

describe('hand-built exports from published prices (scripts/data/azure-retail-prices)', () => {
  const published = JSON.parse(readFileSync(join(__dirname, '..', '..', 'scripts', 'data', 'azure-retail-prices', 'published.json'), 'utf8'));
  const base = { armSkuName: 'Standard_ND96isr_H100_v5', armRegionName: 'eastus', retailPrice: 1, unitOfMeasure: '1 Hour', type: 'Consumption', effectiveStartDate: '2026-01-01' };

  test('every item names its source; none is an unlabelled (real-API) row', () => {
    const { items, issues } = parseExport(published);
    expect(issues).toEqual([]);
    for (const it of items) {
      expect(it.sourceUrl).toMatch(/^https:\/\//);
      expect(['confirmed', 'third-party']).toContain(it.sourceStatus);
      expect(it.sourceNote!.length).toBeGreaterThan(20);
    }
  });

  test('the committed generated module is the script\'s output for it (eastus)', () => {
    const prices = selectPrices(parseExport(published).items, 'eastus', sizes, published.BillingCurrency);
    expect(readFileSync(join(__dirname, '..', '..', 'lib', 'catalog', 'azure-retail-prices.generated.ts'), 'utf8')).toBe(renderModule(prices, 'published.json'));
  });

  test('a labelled item keeps its source in the generated price', () => {
    const item = { ...base, sourceUrl: 'https://example.com/prices', sourceStatus: 'third-party', sourceNote: 'a published table row, read there' };
    const [p] = selectPrices(parseExport({ Items: [item] }).items, 'eastus', sizes, 'USD');
    expect(p.source).toEqual({ url: 'https://example.com/prices', status: 'third-party', note: 'a published table row, read there' });
    expect(renderModule([p], 'x.json')).toContain('status: "third-party"');
  });

  test.each([
    [{ sourceStatus: 'third-party', sourceNote: 'no url' }, ['sourceUrl']],
    [{ sourceUrl: 'https://example.com', sourceNote: 'no status' }, ['sourceStatus']],
    [{ sourceUrl: 'ftp://example.com', sourceStatus: 'guess', sourceNote: '' }, ['sourceUrl', 'sourceStatus', 'sourceNote']],
  ])('an incompletely labelled item is refused: %j', (labels, fields) => {
    expect(parseExport({ Items: [{ ...base, ...labels }] }).issues.map((i) => i.path)).toEqual(fields.map((f) => `Items[0].${f}`));
  });
});
