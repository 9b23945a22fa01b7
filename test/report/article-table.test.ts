import { ARTICLE_ROWS, compareWithArticle, ruleOfThumbGB } from '../../lib/report/article-table';

describe("the background article's table", () => {
  test.each([
    // Article rows (deepseek-hardware-article.txt): FP16 and 4-bit GB; the rule nominal × bytes × 1.15 reproduces them
    ['1.5B', 4, 1],
    ['7B', 16, 4],
    ['67B', 154, 38],
    ['671B', 1543, 386],
  ])('%s: the rule reproduces the article within its rounding (~%d GB FP16, ~%d GB 4-bit)', (label, fp16, int4) => {
    const row = ARTICLE_ROWS.find((r) => r.label === label)!;
    expect(Math.abs(ruleOfThumbGB(row.nominalParamsB, 2) - fp16) / fp16).toBeLessThan(0.15);
    expect(Math.abs(ruleOfThumbGB(row.nominalParamsB, 0.5) - int4) / int4).toBeLessThan(0.15);
  });

  test('the 32B row is flagged as wrong: 32 × 2 × 1.15 = 73.6 GB, not ~48 GB', () => {
    const c = compareWithArticle().find((x) => x.row.label === '32B')!;
    expect(c.ruleFp16GB).toBeCloseTo(73.6, 1);
    expect(c.notes.join(' ')).toMatch(/~48 GB is wrong/);
    // HF safetensors size of R1-Distill-Qwen-32B: 65.5 GB (usedStorage 65,527,841,532 B)
    expect(c.ourFp16WeightsGB).toBeCloseTo(65.5, 0);
  });

  test('recommended setups sized for 4-bit only are flagged (RTX 3090 24 GB for a 73.6 GB FP16 model; 12 × H800 = 960 GB for 1,543 GB)', () => {
    const byLabel = Object.fromEntries(compareWithArticle().map((c) => [c.row.label, c.notes.join(' ')]));
    expect(byLabel['32B']).toMatch(/one RTX 3090 \(24 GB\) cannot hold the FP16 weights \(74 GB\); only the 4-bit ones/);
    expect(byLabel['671B']).toMatch(/12 × H800 80GB \(960 GB\) cannot hold the FP16 weights \(1543 GB\)/);
    // 7B FP16 = 16.1 GB does not fit a 12 GB RTX 3060 either
    expect(byLabel['7B']).toMatch(/RTX 3060 \(12 GB\) cannot hold the FP16 weights/);
  });

  test('only the 32B row is flagged against the rule', () => {
    const flagged = compareWithArticle().filter((c) => c.notes.some((n) => n.includes('wrong')));
    expect(flagged.map((c) => c.row.label)).toEqual(['32B']);
  });
});
