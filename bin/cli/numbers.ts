/**
 * Strict number parsing for flags. `Number()` accepts far more than a person means by a number:
 * `0x2`, `0b10`, `0o7`, `1e3`, `Infinity`, ` 2 `, `2_000` (no: but `Number('')` is 0). Only plain
 * decimal notation is read as a number here; anything else stays text so the spec schema reports
 * it with the flag and the value ("nodes must be a number, got \"0x2\"").
 */

/** Plain decimal: digits with an optional fraction (`8`, `0.9`, `.9`, `40.5`). */
const DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;
/** Longest numeric text read; a longer run of digits is not a count or a price anyone means. */
const MAX_DIGITS = 15;

/** A number if the text is plain decimal notation, else the text itself (undefined stays undefined). */
export function strictNumber(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return DECIMAL.test(text) && text.length <= MAX_DIGITS ? Number(text) : text;
}
