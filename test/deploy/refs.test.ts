/** References: the layout's markers for values only an adapter knows, and how adapters resolve them. */
import { bytesAfterExpansion, isDeployTime, ref, refPieces, refsIn, refsInDeep, resolveRefsDeep, substituteRefs, REF_MAX_BYTES } from '../../lib/deploy/refs';

describe('reference markers', () => {
  test.each([
    ['token', '${Ref[apiKeySecret.arn]}'],
    ['word', '@Ref:apiKeySecret.arn@'],
  ] as const)('%s style: %s, found again in any text', (style, marker) => {
    expect(ref('apiKeySecret.arn', style)).toBe(marker);
    const text = `arn:${ref('partition', style)}:iam::aws:policy/X ${marker}`;
    expect(refsIn(text)).toEqual(['partition', 'apiKeySecret.arn']);
    expect(refPieces(text)).toEqual(['arn:', { ref: 'partition' }, ':iam::aws:policy/X ', { ref: 'apiKeySecret.arn' }]);
    expect(substituteRefs(text, (n) => `<${n}>`)).toBe('arn:<partition>:iam::aws:policy/X <apiKeySecret.arn>');
  });

  test('the word style is a shell-safe word (the boot script holds it bare); the token style is not', () => {
    // The characters lib/serving/container.ts leaves unquoted: letters, digits and _@%+=:,./-
    const safe = /^[A-Za-z0-9_@%+=:,./-]+$/;
    expect(safe.test(ref('modelStore.bucketName', 'word'))).toBe(true);
    expect(safe.test(ref('modelStore.bucketName', 'token'))).toBe(false);
  });

  test('text without references is one literal piece; an unknown name is an error, not a silent literal', () => {
    expect(refPieces('plain')).toEqual(['plain']);
    expect(refPieces('')).toEqual(['']);
    expect(() => refsIn('${Ref[nope]}')).toThrow(/unknown layout reference nope/);
  });

  test('resolveRefsDeep replaces references in every string of a nested value and leaves the rest', () => {
    const layout = { a: [ref('region'), 3, { b: `x${ref('accountId')}y` }], c: true, d: undefined };
    expect(refsInDeep(layout)).toEqual(['region', 'accountId']);
    expect(resolveRefsDeep(layout, (n) => (n === 'region' ? 'us-east-1' : '111122223333'))).toEqual({ a: ['us-east-1', 3, { b: 'x111122223333y' }], c: true, d: undefined });
  });
});

describe('bytesAfterExpansion', () => {
  test('each occurrence of a reference or an adapter token grows to its longest; plain values do not', () => {
    const marker = ref('apiKeySecret.arn');
    const token = '${TfToken[TOKEN.12]}';
    const plain = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:k-AbCdEf';
    const text = `${marker} ${marker} ${token} ${plain}`;
    const max = REF_MAX_BYTES['apiKeySecret.arn'];
    const r = bytesAfterExpansion(text, [{ value: marker, maxBytes: max }, { value: token, maxBytes: 100 }, { value: plain, maxBytes: 128 }]);
    expect(r.bytes).toBe(text.length);
    expect(r.tokens).toBe(3);
    // Two markers grow by (max − marker length) each, the token by (100 − its length); the plain ARN stays.
    expect(r.expandedBytes).toBe(text.length + 2 * (max - marker.length) + (100 - token.length));
    expect(isDeployTime(plain)).toBe(false);
    expect(isDeployTime(token)).toBe(true);
    expect(isDeployTime(ref('region', 'word'))).toBe(true);
  });
});
