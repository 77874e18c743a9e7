// Small text helpers for diagnostics and header matching. Pure.

/** Header key used to match CSV headers to field aliases: case, spaces and punctuation ignored. */
export function headerKey(h: string): string {
  return h.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `name` (compared as header keys), if it is reasonably close. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const key = headerKey(name);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const ck = headerKey(c);
    const d = ck.includes(key) || key.includes(ck) ? Math.abs(ck.length - key.length) * 0.5 : editDistance(key, ck);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, key.length / 2) ? best : undefined;
}
