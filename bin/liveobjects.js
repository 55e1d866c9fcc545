#!/usr/bin/env node
// The `liveobjects` command. Runs the TypeScript sources directly through tsx so that
// `npx liveobjects` works right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
