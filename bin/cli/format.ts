/** Plain-text formatting for the CLI: byte units, aligned tables and a memory bar. No colours, so output pipes cleanly. */

export const GiB = 2 ** 30;

export function gib(bytes: number, digits = 1): string {
  return `${(bytes / GiB).toFixed(digits)} GiB`;
}

export function gb(bytes: number, digits = 1): string {
  return `${(bytes / 1e9).toFixed(digits)} GB`;
}

export function billions(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(n >= 1e11 ? 0 : 2)}B` : `${(n / 1e6).toFixed(0)}M`;
}

export function usd(x: number | undefined, digits = 2): string {
  return x === undefined ? 'n/a' : `$${x.toFixed(digits)}`;
}

/** Columns padded to their widest cell; numbers right-aligned when `align` says so. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** One segment of a memory bar. */
export interface BarPart {
  readonly label: string;
  readonly bytes: number;
  readonly char: string;
}

/**
 * A bar of `width` characters for one GPU's memory: each part in proportion to the capacity,
 * the rest shown as free. Parts are at least one character when non-zero so nothing hides.
 */
export function memoryBar(parts: readonly BarPart[], capacityBytes: number, width = 60): string {
  let used = 0;
  let bar = '';
  for (const p of parts) {
    if (p.bytes <= 0) continue;
    const n = Math.max(1, Math.round((p.bytes / capacityBytes) * width));
    const take = Math.min(n, width - used);
    bar += p.char.repeat(Math.max(0, take));
    used += Math.max(0, take);
  }
  bar += '·'.repeat(Math.max(0, width - used));
  const legend = [...parts.filter((p) => p.bytes > 0).map((p) => `${p.char} ${p.label} ${gib(p.bytes)}`), `· free`].join('   ');
  return `[${bar}]\n ${legend}`;
}
