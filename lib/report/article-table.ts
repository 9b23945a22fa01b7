import { planDeployment } from '../plan/planner';
import { isPlanError } from '../errors';
import { resolveModel } from '../catalog/models';
import { countParams } from '../sizing/params';
import { weightBytes } from '../sizing/weights';
import type { Precision } from '../types';

/**
 * The background article's "Recommended Hardware for Various Model Sizes" table (Ithy, "Hardware
 * Requirements for DeepSeek Models", updated 2025-01-27),
 * recomputed. The article's figures follow a rule of thumb, nominal parameters × bytes × 1.15
 * (1.5B × 2 × 1.15 = 3.45 ≈ "~4GB"; 671B × 2 × 1.15 = 1,543 GB). Its 32B row breaks the rule:
 * 32B × 2 × 1.15 = 73.6 GB, not "~48GB".
 */
export interface ArticleRow {
  readonly label: string;
  readonly nominalParamsB: number;
  /** Catalog model we size for the row. */
  readonly modelId: string;
  readonly articleFp16GB: number;
  readonly article4bitGB: number;
  /** The article's "Recommended Setup" and the GPU memory it has in total, GB (marketed). */
  readonly articleSetup: string;
  readonly articleSetupGB: number;
}

export const ARTICLE_ROWS: readonly ArticleRow[] = [
  // Setup memory: RTX 3050 8 GB (Jetson Nano 4 GB), RTX 3060 12 GB, RTX 3090 24 GB, 2 × A100 40 GB, ≥ 12 × H800 80 GB.
  { label: '1.5B', nominalParamsB: 1.5, modelId: 'deepseek-r1-distill-qwen-1.5b', articleFp16GB: 4, article4bitGB: 1, articleSetup: 'RTX 3050', articleSetupGB: 8 },
  { label: '7B', nominalParamsB: 7, modelId: 'deepseek-r1-distill-qwen-7b', articleFp16GB: 16, article4bitGB: 4, articleSetup: 'RTX 3060', articleSetupGB: 12 },
  { label: '32B', nominalParamsB: 32, modelId: 'deepseek-r1-distill-qwen-32b', articleFp16GB: 48, article4bitGB: 16, articleSetup: 'one RTX 3090', articleSetupGB: 24 },
  { label: '67B', nominalParamsB: 67, modelId: 'deepseek-llm-67b', articleFp16GB: 154, article4bitGB: 38, articleSetup: '2 × A100 40GB', articleSetupGB: 80 },
  { label: '70B', nominalParamsB: 70, modelId: 'deepseek-r1-distill-llama-70b', articleFp16GB: 154, article4bitGB: 38, articleSetup: '2 × A100 40GB', articleSetupGB: 80 },
  { label: '671B', nominalParamsB: 671, modelId: 'deepseek-v3', articleFp16GB: 1543, article4bitGB: 386, articleSetup: '12 × H800 80GB', articleSetupGB: 960 },
];

/** The article's rule: nominal parameters × bytes per parameter × 1.15. */
export function ruleOfThumbGB(nominalParamsB: number, bytesPerParam: number): number {
  return nominalParamsB * bytesPerParam * 1.15;
}

/** A figure is "wrong" when it is more than 20% off the article's own rule. */
export const ARTICLE_TOLERANCE = 0.2;

export interface ArticleComparison {
  readonly row: ArticleRow;
  readonly exactParams: number;
  readonly ruleFp16GB: number;
  readonly rule4bitGB: number;
  readonly ourFp16WeightsGB: number;
  readonly our4bitWeightsGB: number;
  readonly fp16Recommendation: string;
  readonly int4Recommendation: string;
  /** Notes where the article disagrees with its own rule or with the exact figures. */
  readonly notes: readonly string[];
}

function recommend(modelId: string, precision: Precision): string {
  try {
    const p = planDeployment({ model: modelId, precision, contextTokens: 4096, target: 'aws' });
    return `${p.topology.nodes > 1 ? `${p.topology.nodes} × ` : ''}${p.topology.instanceType} (${p.topology.gpusPerNode * p.topology.nodes} × ${p.topology.gpu}) $${p.cost.hourlyUsd?.toFixed(2) ?? 'n/a'}/h`;
  } catch (e) {
    if (isPlanError(e)) return 'does not fit on AWS within 4 nodes';
    throw e;
  }
}

/** Recompute every row: the article's rule, our exact weights, and the instance we would pick (4K context, one request). */
export function compareWithArticle(): ArticleComparison[] {
  return ARTICLE_ROWS.map((row) => {
    const arch = resolveModel(row.modelId);
    const ruleFp16GB = ruleOfThumbGB(row.nominalParamsB, 2);
    const rule4bitGB = ruleOfThumbGB(row.nominalParamsB, 0.5);
    const notes: string[] = [];
    const off = (article: number, rule: number) => Math.abs(article - rule) / rule > ARTICLE_TOLERANCE;
    if (off(row.articleFp16GB, ruleFp16GB)) notes.push(`article's FP16 figure ~${row.articleFp16GB} GB is wrong: its own rule gives ${ruleFp16GB.toFixed(1)} GB (${row.nominalParamsB}B × 2 B × 1.15)`);
    if (off(row.article4bitGB, rule4bitGB)) notes.push(`article's 4-bit figure ~${row.article4bitGB} GB is off: its rule gives ${rule4bitGB.toFixed(1)} GB`);
    // The recommended setups hold the 4-bit weights at best, never the FP16 ones the table lists first.
    if (row.articleSetupGB < ruleFp16GB) {
      notes.push(`the recommended ${row.articleSetup} (${row.articleSetupGB} GB) cannot hold the FP16 weights (${ruleFp16GB.toFixed(0)} GB)${row.articleSetupGB >= rule4bitGB ? '; only the 4-bit ones' : ''}`);
    }
    const exact = countParams(arch).total;
    if (Math.abs(exact / 1e9 - row.nominalParamsB) / row.nominalParamsB > 0.1) notes.push(`${row.modelId} really has ${(exact / 1e9).toFixed(2)}B parameters`);
    return {
      row, exactParams: exact, ruleFp16GB, rule4bitGB,
      ourFp16WeightsGB: weightBytes(arch, 'fp16') / 1e9,
      our4bitWeightsGB: weightBytes(arch, 'int4') / 1e9,
      fp16Recommendation: recommend(row.modelId, 'fp16'),
      int4Recommendation: recommend(row.modelId, 'int4'),
      notes,
    };
  });
}
