// `npm run bench -- <scenario> [options]`: finds the scenario module in bench/scenarios/, runs it,
// writes bench/results/<scenario>-<timestamp>.{json,md} (+ -latest) and prints the table.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  asksForHelp,
  defineOptions,
  parseOptions,
  usageErrorText,
  usageText,
  UsageError,
} from '../src-main/args/options';
import type { OptionTable, OptionValues } from '../src-main/args/options';
import { killAll } from '../testing/processes';
import { loadavg, machineInfo, renderMarkdown, writeResult } from './lib/results';
import type { BenchResult } from './lib/results';
import { isScenario } from './lib/scenario';
import type { BenchContext, Scenario } from './lib/scenario';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const scenariosDir = path.join(benchDir, 'scenarios');

/** Options of every scenario. */
const commonOptions = defineOptions({
  out: {
    type: 'string',
    placeholder: 'DIR',
    defaultText: 'bench/results',
    description: 'where to write results',
  },
});

const USAGE = usageText({
  usage: [
    'npm run bench -- <scenario> [options]',
    'npm run bench -- list                 list the scenarios',
    'npm run bench -- <scenario> --help    options of one scenario',
  ],
  options: commonOptions,
});

const synopsis = (name: string): string => `npm run bench -- ${name} [options]`;

/** A scenario's options with the common ones. */
const optionsOf = (scenario: Scenario): OptionTable => ({ ...scenario.options, ...commonOptions });

export function scenarioUsage(scenario: Scenario): string {
  return usageText({ usage: synopsis(scenario.name), about: scenario.about, options: optionsOf(scenario) });
}

/** Every module in bench/scenarios/ that exports `scenario`, by name. */
export async function loadScenarios(): Promise<Map<string, Scenario>> {
  const files = (await readdir(scenariosDir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .sort();
  const found = new Map<string, Scenario>();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(scenariosDir, file)).href)) as { scenario?: unknown };
    if (isScenario(mod.scenario)) found.set(mod.scenario.name, mod.scenario);
  }
  return found;
}

export async function runBench(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const scenarios = await loadScenarios();
  if (name === 'list') {
    const width = Math.max(...[...scenarios.keys()].map((k) => k.length), 8);
    for (const s of scenarios.values()) console.log(`${s.name.padEnd(width)}  ${s.summary}`);
    return 0;
  }
  const scenario = scenarios.get(name);
  if (!scenario) {
    const known = [...scenarios.keys()].join(', ') || '(none)';
    console.error(`bench: unknown scenario '${name}'. Available: ${known}. Run \`npm run bench -- list\`.`);
    return 2;
  }
  const table = optionsOf(scenario);
  if (asksForHelp(table, rest)) {
    console.log(scenarioUsage(scenario));
    return 0;
  }
  const usageError = (error: UsageError): number => {
    console.error(usageErrorText(`bench ${name}`, error, `npm run bench -- ${name} --help`, synopsis(name)));
    return 2;
  };
  let values: OptionValues<OptionTable>;
  try {
    ({ values } = parseOptions(table, rest));
  } catch (error) {
    if (error instanceof UsageError) return usageError(error);
    throw error;
  }

  const context: BenchContext = {
    root: path.resolve(benchDir, '..'),
    progress: (message) => process.stderr.write(`[bench ${name}] ${message}\n`),
  };
  const startedAt = new Date();
  const machine = machineInfo();
  const outDir = path.resolve(typeof values.out === 'string' ? values.out : path.join(benchDir, 'results'));
  const onSignal = (): void => {
    void killAll(); // the signals go out at once
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const outcome = await scenario.run(values, context);
    const finishedAt = new Date();
    const result: BenchResult = {
      scenario: scenario.name,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSec: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      machine,
      loadavgEnd: loadavg(),
      parameters: outcome.parameters,
      figures: outcome.figures,
      notes: outcome.notes ?? [],
      errors: outcome.errors ?? [],
      details: outcome.details,
    };
    const files = await writeResult(outDir, result);
    process.stdout.write(renderMarkdown(result));
    context.progress(
      `wrote ${path.relative(process.cwd(), files.json)} and .md (also ${scenario.name}-latest)`,
    );
    if (result.errors.length > 0) {
      context.progress(`finished with ${result.errors.length} error(s); see the Errors section`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageError(err);
    console.error(`bench ${name} failed:`, err);
    return 1;
  } finally {
    await killAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
