#!/usr/bin/env node
// usage: node bench/handover.mjs "$PWD/dist" bench/out/leads-1000000-s42-v1.csv   (after npm run build)
// Hand-over cost of a batch's projected cells: structured clone (v8.serialize/deserialize, the
// serializer postMessage uses) of the cells array vs packed (join + offsets), plus the
// receiving side's reads of every cell. Real rows of the bench file, real readColumns.
import { serialize, deserialize } from 'node:v8';
const dist = process.argv[2];
const file = process.argv[3];
const { openCsv } = await import(`${dist}/io/csv-reader.js`);
const { createScorer } = await import(`${dist}/core/scoring/engine.js`);
const { loadRules } = await import(`${dist}/io/rules-file.js`);
const { projectRows, packCells } = await import(`${dist}/pipeline/score-cells.js`);
const { rules } = loadRules(undefined);
const input = await openCsv(file, {});
const scorer = createScorer(rules, input.header, { asOfDay: 20000, file });
const batches = [];
let n = 0;
for await (const b of input.batches()) { batches.push(projectRows(b, scorer.binding.readColumns, null, n + 1)); n += b.length; if (n >= 200000) break; }
console.log(`rows ${n}, batches ${batches.length}, cells/row ${scorer.binding.readColumns.length}`);
const time = (label, f) => { const runs = []; for (let r = 0; r < 7; r++) { const t = process.hrtime.bigint(); f(); runs.push(Number(process.hrtime.bigint() - t) / 1e6); } runs.sort((a, b) => a - b); console.log(`${label}: median ${runs[3].toFixed(0)} ms (min ${runs[0].toFixed(0)})`); };
let sink = 0;
const readAll = (cells) => { for (let i = 0; i < cells.length; i++) sink += cells[i].length; };
const readPacked = ({ text, ends }) => { for (let i = 0; i < ends.length; i++) sink += text.slice(i === 0 ? 0 : ends[i - 1], ends[i]).length; };
const ser1 = batches.map((b) => serialize(b));
const packed = batches.map((b) => packCells(b));
const ser2 = packed.map((b) => serialize(b));
time('array: serialize (sending thread)', () => batches.forEach((b) => serialize(b)));
time('packed: pack + serialize (sending thread)', () => batches.forEach((b) => serialize(packCells(b))));
time('array: deserialize + read cells (worker)', () => ser1.forEach((s) => readAll(deserialize(s).cells)));
time('packed: deserialize + slice cells (worker)', () => ser2.forEach((s) => readPacked(deserialize(s).packed)));
console.log(`bytes: array ${ser1.reduce((a, s) => a + s.length, 0)}, packed ${ser2.reduce((a, s) => a + s.length, 0)}`, sink > 0);
