// Builds the console into ../../obj/console (or the folder given as the first argument):
// app.js and app.css bundled and minified by esbuild, index.html, reference.js, and geo.json, the Natural Earth
// country shapes of China and its neighbours cut from the world-atlas package. Run by RiskMesh.Api.csproj.
import { build } from 'esbuild';
import { mkdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(here, 'dist'));
await mkdir(out, { recursive: true });

await build({
  entryPoints: { app: path.join(here, 'src/app.js') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  outdir: out,
  legalComments: 'linked',
  logLevel: 'warning',
});
await copyFile(path.join(here, 'src/index.html'), path.join(out, 'index.html'));
// The API reference's configuration module (see RiskMeshApi): plain, small, served as is.
await copyFile(path.join(here, 'src/reference.js'), path.join(out, 'reference.js'));

// ISO 3166-1 numeric (world-atlas ids) to alpha-2 (RiskMesh's country keys), for the region the map shows.
const iso = {
  '156': 'CN', '643': 'RU', '496': 'MN', '408': 'KP', '410': 'KR', '398': 'KZ', '417': 'KG', '762': 'TJ',
  '004': 'AF', '586': 'PK', '356': 'IN', '524': 'NP', '064': 'BT', '104': 'MM', '418': 'LA', '704': 'VN',
  '764': 'TH', '392': 'JP', '050': 'BD', '860': 'UZ', '158': 'TW', '116': 'KH', '795': 'TM', '364': 'IR',
};
const atlas = JSON.parse(await readFile(path.join(here, 'node_modules/world-atlas/countries-50m.json'), 'utf8'));
const countries = feature(atlas, atlas.objects.countries).features.filter(f => iso[f.id]);
// Two decimals (about 1 km) are plenty for a border-scale map and cut the file to a fraction.
const round = c => typeof c[0] === 'number'
  ? [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100]
  : c.map(round);
const geo = {
  type: 'FeatureCollection',
  source: 'Natural Earth 1:50m admin-0 countries (public domain), via the world-atlas npm package',
  features: countries.map(f => ({
    type: 'Feature',
    id: iso[f.id],
    properties: { name: f.properties.name },
    geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
  })),
};
await writeFile(path.join(out, 'geo.json'), JSON.stringify(geo));
