// Worker-thread side of scoring: the main thread reads and parses, this thread scores and
// formats, so that a large file uses both cores (parsing is about half of the work). Messages:
// in, {batch} and then {end: true}; out, {text} per batch (in order) and finally {summary}.
// Nothing here touches files or the terminal.
import { parentPort, workerData } from 'node:worker_threads';
import { createBatchFormatter, type BatchIn, type FormatterConfig } from './batch-formatter.js';

const port = parentPort!;
const formatter = createBatchFormatter(workerData as FormatterConfig);
port.on('message', (m: { batch?: BatchIn; end?: true }) => {
  try {
    if (m.batch) port.postMessage({ text: formatter.format(m.batch) });
    else if (m.end) port.postMessage({ summary: formatter.summary() });
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
