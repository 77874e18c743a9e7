// A progress line on stderr for long runs: only on a terminal, only when colour/decoration is
// allowed, and only after the first second (short runs stay quiet). Redrawn at most 5 times a
// second so that it costs nothing measurable. Hand-written because the libraries draw to stdout
// or redraw per tick; this is 40 lines.
import { colorEnabled } from './color.js';
import { bar } from './summary.js';

export interface Progress {
  update(p: { rows: number; bytes: number; totalBytes: number | null }): void;
  done(): void;
}

export function createProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY || !colorEnabled(stream)) return { update() {}, done() {} };
  const start = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update({ rows, bytes, totalBytes }) {
      const now = Date.now();
      if (now - start < 1000 || now - last < 200) return;
      last = now;
      const rate = Math.round(rows / ((now - start) / 1000));
      const frac = totalBytes ? Math.min(1, bytes / totalBytes) : null;
      const text =
        frac === null
          ? `scoring… ${rows.toLocaleString('en-US')} rows, ${rate.toLocaleString('en-US')} rows/s`
          : `${bar(frac, 30).padEnd(30, '░')} ${(frac * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows, ${rate.toLocaleString('en-US')} rows/s`;
      stream.write(`\r${text}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
