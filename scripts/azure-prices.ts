/**
 * Azure prices from a saved export of the Azure Retail Prices API into a generated catalog data file.
 *
 * The export is the API's JSON response (https://learn.microsoft.com/en-us/rest/api/cost-management/retail-prices/azure-retail-prices):
 * `{ BillingCurrency, CustomerEntityId, CustomerEntityType, Items: [...], NextPageLink, Count }`, each
 * item with `currencyCode`, `retailPrice`, `unitPrice`, `armRegionName`, `location`,
 * `effectiveStartDate`, `meterName`, `productName`, `skuName`, `serviceName`, `unitOfMeasure`,
 * `type` (`Consumption`, `Reservation`, `DevTestConsumption`), `armSkuName`, `isPrimaryMeterRegion`.
 * Save one with e.g.
 *   curl -s "https://prices.azure.com/api/retail/prices?\$filter=serviceName eq 'Virtual Machines' and armRegionName eq 'eastus' and startswith(armSkuName,'Standard_ND')" > export.json
 * (follow NextPageLink for more pages and concatenate their Items).
 *
 * Kept: the catalog's Azure sizes in one region, `type` Consumption (pay-as-you-go), `unitOfMeasure`
 * `1 Hour`, USD, Linux meters (the Windows meter shares the meterName; its productName ends with
 * " Windows"), neither Spot nor Low Priority. Several rows for one size: the latest
 * effectiveStartDate wins. Sizes without a kept row stay unpriced (plans say so; `--price` fills in).
 *
 * An item may carry three labelled fields the API does not have, for an export built by hand from a
 * published price (scripts/data/azure-retail-prices/): `sourceUrl` (where the figure was read),
 * `sourceStatus` (`confirmed` or `third-party`) and `sourceNote` (what was read, and any arithmetic).
 * They become the price's Source; an item without them is taken as a real API export row
 * (`status: confirmed`, url = the API). A hand-built item must name its source: `sourceStatus`
 * without `sourceUrl` (or the other way round) is an issue.
 *
 * Usage: ts-node --transpile-only scripts/azure-prices.ts --in export.json [--region eastus] [--out FILE]
 * Writes FILE (default lib/catalog/azure-retail-prices.generated.ts) and prints what is priced and what is not.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { instancesForTarget } from '../lib/catalog/instances';
import type { Issue } from '../lib/types';

/** API of the export (for the generated source). */
export const RETAIL_PRICES_API = 'https://prices.azure.com/api/retail/prices';

/** One item of the export (the fields used here). */
export interface RetailPriceItem {
  readonly armSkuName: string;
  readonly armRegionName: string;
  readonly retailPrice: number;
  readonly unitOfMeasure: string;
  readonly type: string;
  readonly effectiveStartDate: string;
  readonly currencyCode?: string;
  readonly meterName?: string;
  readonly productName?: string;
  /** Not an API field: where a hand-built item's figure was published. */
  readonly sourceUrl?: string;
  /** Not an API field: `confirmed` (read in the source) or `third-party` (someone else's copy). */
  readonly sourceStatus?: 'confirmed' | 'third-party';
  /** Not an API field: what was read there. */
  readonly sourceNote?: string;
}

/** A kept price. */
export interface AzureRetailPrice {
  readonly armSkuName: string;
  readonly hourlyUsd: number;
  readonly region: string;
  /** effectiveStartDate, YYYY-MM-DD. */
  readonly date: string;
  readonly meterName: string;
  readonly productName: string;
  /** The item's labelled source (hand-built exports), if any. */
  readonly source?: { readonly url: string; readonly status: 'confirmed' | 'third-party'; readonly note: string };
}

/** Read and check an export; every malformed item is an issue (`Items[i].field`). */
export function parseExport(json: unknown): { items: RetailPriceItem[]; currency?: string; issues: Issue[] } {
  const issues: Issue[] = [];
  const root = json as { Items?: unknown; BillingCurrency?: unknown };
  if (!root || typeof root !== 'object' || !Array.isArray(root.Items)) {
    return { items: [], issues: [{ path: 'Items', message: 'not an Azure Retail Prices export: no Items array' }] };
  }
  const items: RetailPriceItem[] = [];
  root.Items.forEach((raw: unknown, i: number) => {
    const it = raw as Record<string, unknown>;
    const bad: string[] = [];
    for (const k of ['armSkuName', 'armRegionName', 'unitOfMeasure', 'type', 'effectiveStartDate']) if (typeof it?.[k] !== 'string') bad.push(k);
    if (typeof it?.retailPrice !== 'number' || !Number.isFinite(it.retailPrice) || it.retailPrice < 0) bad.push('retailPrice');
    const labelled = ['sourceUrl', 'sourceStatus', 'sourceNote'].filter((k) => it?.[k] !== undefined);
    if (labelled.length > 0) {
      if (typeof it.sourceUrl !== 'string' || !/^https:\/\/\S+$/.test(it.sourceUrl)) bad.push('sourceUrl');
      if (it.sourceStatus !== 'confirmed' && it.sourceStatus !== 'third-party') bad.push('sourceStatus');
      if (typeof it.sourceNote !== 'string' || it.sourceNote.trim() === '') bad.push('sourceNote');
    }
    if (bad.length > 0) issues.push(...bad.map((k) => ({ path: `Items[${i}].${k}`, message: `missing or invalid ${k}` })));
    else items.push(it as unknown as RetailPriceItem);
  });
  return { items, ...(typeof root.BillingCurrency === 'string' ? { currency: root.BillingCurrency } : {}), issues };
}

/** Whether an item is the pay-as-you-go Linux hourly price. */
export function isLinuxOnDemand(item: RetailPriceItem, billingCurrency = 'USD'): boolean {
  const meter = item.meterName ?? '';
  return item.type === 'Consumption'
    && item.unitOfMeasure === '1 Hour'
    && (item.currencyCode ?? billingCurrency) === 'USD'
    && !/ Windows$/.test(item.productName ?? '')
    && !/\b(Spot|Low Priority)\b/.test(meter)
    && item.retailPrice > 0;
}

/** The kept price per catalog size in `region` (latest effectiveStartDate per size). */
export function selectPrices(items: readonly RetailPriceItem[], region: string, sizes: readonly string[], billingCurrency?: string): AzureRetailPrice[] {
  const best = new Map<string, RetailPriceItem>();
  for (const it of items) {
    if (it.armRegionName !== region || !sizes.includes(it.armSkuName) || !isLinuxOnDemand(it, billingCurrency)) continue;
    const prev = best.get(it.armSkuName);
    if (!prev || it.effectiveStartDate > prev.effectiveStartDate) best.set(it.armSkuName, it);
  }
  return [...best.values()].sort((a, b) => a.armSkuName.localeCompare(b.armSkuName)).map((it) => ({
    armSkuName: it.armSkuName, hourlyUsd: it.retailPrice, region, date: it.effectiveStartDate.slice(0, 10),
    meterName: it.meterName ?? '', productName: it.productName ?? '',
    ...(it.sourceUrl !== undefined ? { source: { url: it.sourceUrl, status: it.sourceStatus!, note: it.sourceNote! } } : {}),
  }));
}

/** The generated TypeScript module (PriceEntry records keyed by size). */
export function renderModule(prices: readonly AzureRetailPrice[], exportName: string): string {
  const entries = prices.map((p) => [
    `  ${JSON.stringify(p.armSkuName)}: {`,
    `    hourlyUsd: ${p.hourlyUsd},`,
    `    region: ${JSON.stringify(p.region)},`,
    `    date: ${JSON.stringify(p.date)},`,
    '    source: {',
    `      url: ${JSON.stringify(p.source?.url ?? RETAIL_PRICES_API)},`,
    `      status: ${JSON.stringify(p.source?.status ?? 'confirmed')},`,
    `      note: ${JSON.stringify(p.source
      ? `${p.source.note} (entered in ${exportName} in the Retail Prices API format: Linux, type Consumption, 1 Hour, USD, ${p.region}, ${p.date})`
      : `Azure Retail Prices API export ${exportName}: ${p.productName} / ${p.meterName}, type Consumption, 1 Hour, USD, effective ${p.date}`)},`,
    '    },',
    '  },',
  ].join('\n'));
  return [
    '/**',
    ` * Generated by scripts/azure-prices.ts from ${exportName}; do not edit by hand.`,
    ' * Linux pay-as-you-go hourly prices of the catalog\'s Azure sizes, from an export in the Azure Retail Prices',
    ' * API format; each price\'s source names where its figure was read.',
    ' */',
    "import type { PriceEntry } from './prices';",
    '',
    'export const AZURE_RETAIL_PRICES: Readonly<Record<string, PriceEntry>> = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

function main(argv: readonly string[]): number {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const input = arg('--in');
  if (!input) {
    process.stderr.write('error: --in: give the saved export (JSON)\n');
    return 2;
  }
  const region = arg('--region') ?? 'eastus';
  const out = arg('--out') ?? 'lib/catalog/azure-retail-prices.generated.ts';
  const parsed = parseExport(JSON.parse(readFileSync(input, 'utf8')));
  for (const i of parsed.issues) process.stderr.write(`error: ${i.path}: ${i.message}\n`);
  if (parsed.issues.length > 0) return 2;
  const sizes = instancesForTarget('azure').map((i) => i.instanceType);
  const prices = selectPrices(parsed.items, region, sizes, parsed.currency);
  writeFileSync(out, renderModule(prices, basename(input)));
  for (const p of prices) process.stdout.write(`${p.armSkuName}: $${p.hourlyUsd}/h (${region}, ${p.date})\n`);
  for (const s of sizes.filter((s) => !prices.some((p) => p.armSkuName === s))) process.stdout.write(`${s}: unpriced in ${region} (plans need --price ${s}=USD)\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
