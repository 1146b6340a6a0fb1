#!/usr/bin/env node
// Launches the `tug` CLI: the compiled build (dist/, made by `npm ci`/`npm run build`) when
// present, otherwise the TypeScript sources through tsx, so a fresh clone works either way.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'cmd', 'main.js');
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cmd', 'main.ts')).href);
}
