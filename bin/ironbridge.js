#!/usr/bin/env node
// Runs the CLI on the Node 22 the project pins (node_modules/.bin/node), whatever node launched us.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'src', 'cli.ts');
const major = Number(process.versions.node.split('.')[0]);
const pinned = [join(root, 'node_modules', '.bin', 'node'), join(root, '..', '.bin', 'node')].find(existsSync);
const node = major >= 22 ? process.execPath : pinned;
if (!node) {
  process.stderr.write('ironbridge needs Node 22; run npm install in the project first\n');
  process.exit(1);
}
const child = spawn(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
