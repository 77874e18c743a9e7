// Worker-thread side of scoring: the main thread reads, parses and writes the input cells; this
// thread scores and formats the score part of each record (score-cells.ts), so that a large
// file uses both cores. Messages: in, {batch} and then {end: true}; out, {parts} per batch (score parts as UTF-8, transferred) (in
// order) and finally {summary}. Nothing here touches files or the terminal.
import { parentPort, workerData } from 'node:worker_threads';
import { createHeapHygiene, GC_EVERY_BATCHES } from './heap-hygiene.js';
import { createScoreCellFormatter, type ScoreBatch, type ScoreCellsConfig } from './score-cells.js';

const port = parentPort!;
const formatter = createScoreCellFormatter(workerData as ScoreCellsConfig);
const hygiene = createHeapHygiene(GC_EVERY_BATCHES);
port.on('message', (m: { batch?: ScoreBatch; end?: true }) => {
  try {
    if (m.batch) {
      const parts = formatter.format(m.batch);
      // Transferred, not copied: the main thread copies the bytes into the output once.
      port.postMessage({ parts }, [parts.bytes.buffer as ArrayBuffer, parts.ends.buffer as ArrayBuffer]);
      hygiene.batchDone();
    }
    else if (m.end) port.postMessage({ summary: formatter.summary() });
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
