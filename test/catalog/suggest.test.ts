import { closestMatch, editDistance } from '../../lib/catalog/suggest';

describe('editDistance', () => {
  // Textbook Levenshtein examples, worked by hand.
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3], // k→s, e→i, +g
    ['flaw', 'lawn', 2], // -f, +n
    ['deepseek-r2', 'deepseek-r1', 1],
    ['deepseek-v3', 'deepseek-v3.1', 2],
  ])('%p → %p = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestMatch', () => {
  const ids = ['deepseek-v3', 'deepseek-r1', 'deepseek-r1-0528', 'deepseek-v2-lite'];

  it('picks the nearest candidate, case-insensitively', () => {
    expect(closestMatch('deepseek-r2', ids)).toBe('deepseek-r1');
    expect(closestMatch('DeepSeek-V3', ids)).toBe('deepseek-v3');
    expect(closestMatch('deepseek-v2-light', ids)).toBe('deepseek-v2-lite');
  });

  it('keeps the earlier candidate on a tie', () => {
    // 'deepseek-v1' is one edit from both 'deepseek-v3' and 'deepseek-r1'.
    expect(closestMatch('deepseek-v1', ids)).toBe('deepseek-v3');
  });

  it('suggests nothing when every candidate is too far or the input is empty', () => {
    expect(closestMatch('llama', ids)).toBeUndefined();
    expect(closestMatch('   ', ids)).toBeUndefined();
    expect(closestMatch('deepseek-r1', [])).toBeUndefined();
  });
});
