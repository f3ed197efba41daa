// Builds src/app/components/world.map: one line per country, `ALPHA2 x y d`, where d is an SVG path
// in a 960×480 Equal Earth projection and (x, y) a label point. Geometry: Natural Earth
// 1:110m via the npm package world-atlas (public domain). Countries too small for that
// scale (Singapore, Hong Kong, Macau, Bahrain, Malta and a few more) get a small circle.
// Run by hand with `node scripts/build_map.mjs`; its output is committed.
import { readFileSync, writeFileSync } from 'node:fs';
import { feature } from 'topojson-client';
import { geoEqualEarth, geoPath } from 'd3-geo';

const topology = JSON.parse(readFileSync('node_modules/world-atlas/countries-110m.json', 'utf8'));
const countries = feature(topology, topology.objects.countries);
const numericToAlpha2 = new Map();
for (const line of readFileSync('crates/engine/src/model/reference/countries.csv', 'utf8').split('\n')) {
  if (line.startsWith('#') || line.startsWith('alpha2') || !line) continue;
  const [alpha2, , numeric] = line.split(',');
  if (numeric) numericToAlpha2.set(numeric, alpha2);
}
const projection = geoEqualEarth().fitExtent([[4, 4], [956, 476]], { type: 'Sphere' });
const path = geoPath(projection);
const round = (d) => d.replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n))));
const lines = [];
const seen = new Set();
for (const f of countries.features) {
  const alpha2 = numericToAlpha2.get(String(f.id).padStart(3, '0'));
  if (!alpha2 || seen.has(alpha2)) continue;
  const d = path(f);
  if (!d) continue;
  const [x, y] = path.centroid(f).map((v) => Math.round(v));
  seen.add(alpha2);
  lines.push(`${alpha2} ${x} ${y} ${round(d)}`);
}
// Small places the 1:110m data leaves out, as circles at their location.
const small = { SG: [103.82, 1.35], HK: [114.17, 22.32], MO: [113.55, 22.2], BH: [50.55, 26.07], MT: [14.45, 35.9],
  LU: [6.13, 49.61], QA: [51.18, 25.35], AD: [1.52, 42.51], LI: [9.55, 47.16], MC: [7.42, 43.74], SM: [12.46, 43.94],
  VA: [12.45, 41.9], MV: [73.22, 3.2], BB: [-59.55, 13.19], MU: [57.55, -20.35] };
for (const [alpha2, lonLat] of Object.entries(small)) {
  if (seen.has(alpha2)) continue;
  const [x, y] = projection(lonLat).map((v) => Math.round(v * 10) / 10);
  lines.push(`${alpha2} ${Math.round(x)} ${Math.round(y)} M${x - 2.5},${y}a2.5,2.5 0 1,0 5,0a2.5,2.5 0 1,0 -5,0Z`);
}
lines.sort();
const header = '# Natural Earth 1:110m (public domain) via world-atlas 2.0.2, Equal Earth projection, 960x480; built by scripts/build_map.mjs';
writeFileSync('src/app/components/world.map', header + '\n' + lines.join('\n') + '\n');
console.log(`${lines.length} countries, ${lines.join('\n').length} bytes`);
