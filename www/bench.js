// Runs Cutoff's in-browser benchmark: `benchmark(records, repeats, seed)` generates a
// population in WebAssembly, then times simulate + aggregate of the benchmark scenario.
import init, { benchmark } from './cutoff-api.js';

const output = document.getElementById('output');
const run = document.getElementById('run');

function row(name, value) {
  const tr = document.createElement('tr');
  for (const text of [name, value]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function measure() {
  const records = Number(document.getElementById('records').value);
  const repeats = Number(document.getElementById('repeats').value);
  const result = benchmark(records, repeats, 42n);
  output.replaceChildren(
    row('records', result.records.toLocaleString('en-US')),
    row('pairs decided', result.pairs.toLocaleString('en-US')),
    row('generate (ms)', result.generate_ms.toFixed(1)),
    row('load and compile (ms)', result.load_ms.toFixed(1)),
    row(`simulate + aggregate, median of ${result.repeats} (ms)`, result.median_ms.toFixed(2)),
    row('fastest (ms)', result.min_ms.toFixed(2)),
    row('decisions per second', Math.round(result.decisions_per_second).toLocaleString('en-US')),
  );
  output.dataset.result = JSON.stringify(result);
  return result;
}

await init();
window.cutoffBenchmark = (records, repeats) => benchmark(records, repeats, 42n);
run.disabled = false;
run.addEventListener('click', measure);
document.body.dataset.ready = 'true';
