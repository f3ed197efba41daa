// Uses Cutoff's JavaScript API: `simulate(scenarioToml, asOf)` returns
// `{ ok, totals, diagnostics }`, totals in the format of `cutoff simulate --totals`.
import init, { simulate } from './cutoff-api.js';

const output = document.getElementById('output');
const run = document.getElementById('run');

function show() {
  const scenario = document.getElementById('scenario').value;
  const asOf = document.getElementById('as-of').value || undefined;
  const { ok, totals, diagnostics } = simulate(scenario, asOf);
  const problems = diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  output.textContent = ok ? JSON.stringify(totals, null, 1) : problems.join('\n');
  output.dataset.ok = String(ok);
}

await init();
run.disabled = false;
run.addEventListener('click', show);
show();
