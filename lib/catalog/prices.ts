/**
 * On-demand list prices for the catalog's instance types, each with where it was read.
 * Kept apart from the hardware specs because prices change on their own schedule (the June 2025
 * AWS cut moved P4/P5 by 25–44% while the hardware stayed the same).
 */
import type { InstanceSpec, Source } from '../types';
import { AWS_EC2_ROWS, KARPENTER_COMMIT, KARPENTER_PRICING_GENERATED_AT, KARPENTER_PRICING_REGION } from './aws-ec2.generated';
import { AZURE_RETAIL_PRICES } from './azure-retail-prices.generated';

/** One price: USD per hour, where and when it applies, and the evidence for it. */
export interface PriceEntry {
  readonly hourlyUsd: number;
  /** Cloud region the price is for (`us-east-1`), or `unspecified` when the source does not say. */
  readonly region: string;
  /** Snapshot or publication date of the source, ISO `YYYY-MM-DD`. */
  readonly date: string;
  readonly source: Source;
}

/** Region of every AWS price in this file. */
export const AWS_PRICE_REGION = KARPENTER_PRICING_REGION;
/** Generation date of the AWS Pricing API snapshot the AWS prices come from. */
export const AWS_PRICE_DATE = KARPENTER_PRICING_GENERATED_AT.slice(0, 10);

const AWS_PRICE_SOURCE: Source = {
  url: `github.com/aws/karpenter-provider-aws@${KARPENTER_COMMIT}:pkg/providers/pricing/zz_generated.pricing_aws.go`,
  status: 'confirmed',
  note:
    `InitialOnDemandPricesAWS["${KARPENTER_PRICING_REGION}"], Linux on-demand, generated ${KARPENTER_PRICING_GENERATED_AT} ` +
    '(after the June 2025 P4/P5 price cut); copied by scripts/aws-catalog.ts into aws-ec2.generated.ts, never by hand.',
};

/** us-east-1 Linux on-demand USD/hour of every generated row that has one. */
const AWS_US_EAST_1_USD: Readonly<Record<string, number>> = Object.fromEntries(
  AWS_EC2_ROWS.filter((r) => r.hourlyUsd !== undefined).map((r) => [r.instanceType, r.hourlyUsd!]),
);

/**
 * Azure prices: the generated Retail Prices rows (scripts/azure-prices.ts on
 * scripts/data/azure-retail-prices/published.json, each with region, date and source) win over the
 * hand-entered third-party figures below, which state no region.
 */
const AZURE_PRICES: Readonly<Record<string, PriceEntry>> = {
  Standard_ND96isr_MI300X_v5: {
    // 8 GPUs × $6 per GPU-hour.
    hourlyUsd: 48,
    region: 'unspecified',
    date: '2026-05-18',
    source: {
      url: 'https://www.cliffcenter.com/research/amd-inference-economics',
      status: 'third-party',
      note:
        'research note: MI300X "disappears at Azure ($6/hr)" per GPU-hour; 48 = 8 × 6 (computed). Region and SKU ' +
        'not stated on the page. Not an Azure price sheet.',
    },
  },
  ...AZURE_RETAIL_PRICES,
};

const P6E_CAPACITY_BLOCK_ONLY: Source = {
  url: 'https://docs.aws.amazon.com/pcs/latest/userguide/capacity-blocks-configure-cng.html',
  status: 'confirmed',
  note:
    'P6e UltraServer instances are sold as EC2 Capacity Blocks for ML only (UltraServers of 36 or 72 GPUs); the ' +
    'Karpenter pricing table has no on-demand row for them. Plan them with priceOverrides (your block price) or capacityBlocks.',
};

const AZURE_ND_V6_UNPRICED: Source = {
  url: 'https://prices.azure.com/api/retail/prices',
  status: 'unconfirmed',
  note: 'No citable list price was read (the Azure Retail Prices API has it). Pass priceOverrides to price it.',
};

/**
 * Why a catalog type has no price. Kept as a Source so the instance row can carry it: an unpriced
 * row must say why, or the planner cannot tell "unknown" from "forgotten".
 */
export const UNPRICED_REASONS: Readonly<Record<string, Source>> = {
  'p5e.48xlarge': {
    url: 'github.com/aws/karpenter-provider-aws:pkg/providers/pricing/zz_generated.pricing_aws.go',
    status: 'unconfirmed',
    note:
      'No us-east-1 on-demand price: p5e.48xlarge is absent from every us-east-1 snapshot (2023-09-18 … 2026-07-20; ' +
      're-checked at commit 031e72b). The only rate seen is a Capacity Block price, $43.26/h for 8×H200 in us-east-2 ' +
      '(late-2024 mirror of the AWS Capacity Blocks page, instance name cut off), which is not an on-demand price. ' +
      'Pass priceOverrides to price it.',
  },
  'p6e-gb200.36xlarge': P6E_CAPACITY_BLOCK_ONLY,
  'p6e-gb300.36xlarge': P6E_CAPACITY_BLOCK_ONLY,
  Standard_ND128isr_NDR_GB200_v6: AZURE_ND_V6_UNPRICED,
  Standard_ND128isr_GB300_v6: AZURE_ND_V6_UNPRICED,
  Standard_ND96isr_H200_v5: {
    url: 'https://prices.azure.com/api/retail/prices',
    status: 'unconfirmed',
    note:
      'No citable pay-as-you-go price with region and date was found (scripts/data/azure-retail-prices/README.md: the figures ' +
      'seen sit in public notes whose repository could not be identified). Pass priceOverrides to price it.',
  },
  Standard_ND96asr_v4: {
    url: 'https://azure.microsoft.com/pricing/details/virtual-machines/linux/',
    status: 'unconfirmed',
    note:
      'No citable list price found (the Azure price page was not read). An indicative $27.20/h "base hourly price ' +
      '(East US)" appears in public code whose repository could not be identified, so it is not used. ' +
      'Pass priceOverrides to price it.',
  },
};

function awsEntry(hourlyUsd: number): PriceEntry {
  return { hourlyUsd, region: AWS_PRICE_REGION, date: AWS_PRICE_DATE, source: AWS_PRICE_SOURCE };
}

/** Every known on-demand price, by instance type. Types absent here are unpriced (see UNPRICED_REASONS). */
export const ON_DEMAND_PRICES: Readonly<Record<string, PriceEntry>> = Object.freeze({
  ...Object.fromEntries(Object.entries(AWS_US_EAST_1_USD).map(([type, usd]) => [type, awsEntry(usd)])),
  ...AZURE_PRICES,
});

/** The catalog price of one instance type, or undefined when none is known. */
export function priceFor(instanceType: string): PriceEntry | undefined {
  return Object.prototype.hasOwnProperty.call(ON_DEMAND_PRICES, instanceType) ? ON_DEMAND_PRICES[instanceType] : undefined;
}

/** `url` of the Source attached to an instance whose price came from the caller's `priceOverrides`. */
export const PRICE_OVERRIDE_SOURCE_URL = 'spec:priceOverrides';

// Identity set: catalog rows reuse these exact objects, so membership is unambiguous.
const PRICE_SOURCE_SET: ReadonlySet<Source> = new Set<Source>([
  ...Object.values(ON_DEMAND_PRICES).map((p) => p.source),
  ...Object.values(UNPRICED_REASONS),
]);

/** True when `source` is evidence for a price (catalog, caller override, or the reason a type has none). */
export function isPriceSource(source: Source): boolean {
  return source.url === PRICE_OVERRIDE_SOURCE_URL || PRICE_SOURCE_SET.has(source);
}

/** The Source that supports an instance's price (catalog, override or unpriced reason), if any. */
export function findPriceSource(instance: InstanceSpec): Source | undefined {
  return instance.sources.find(isPriceSource);
}
