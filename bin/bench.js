#!/usr/bin/env node
// `npm run bench -- <scenario>`: runs a benchmark program from bench/ through tsx.
import { register } from 'tsx/esm/api';

register();
const { runBench } = await import('../bench/run.ts');
process.exitCode = await runBench(process.argv.slice(2));
