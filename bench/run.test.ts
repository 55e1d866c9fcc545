// The runner's argument handling and every scenario's option table (nothing is measured: a usage
// error or --help returns before a scenario starts anything).
import { describe, expect, it } from 'vitest';
import { captureConsole } from '../testing/capture-console';
import { parseOptions, UsageError } from '../src-main/args/options';
import { loadScenarios, runBench, scenarioUsage } from './run';

const bench = (...argv: string[]) => captureConsole(() => runBench(argv));

describe('bench options', () => {
  it('reads --k v, --k=v and flags against a scenario table', async () => {
    const engine = (await loadScenarios()).get('engine');
    if (!engine) throw new Error('no engine scenario');
    const { values } = parseOptions(engine.options, ['--duration', '3', '--receivers=1,2', '--skip-raw']);
    expect(values).toMatchObject({ duration: 3, receivers: [1, 2], 'skip-raw': true, warmup: 1, size: 1024 });
    expect(() => parseOptions(engine.options, ['--receivers', 'x'])).toThrow(UsageError);
  });

  it('gives every scenario defaults that parse and a usage that lists every option', async () => {
    const scenarios = await loadScenarios();
    expect([...scenarios.keys()].sort()).toEqual(
      ['app', 'cost', 'engine', 'groups', 'lan', 'latency', 'perturbation', 'receivers', 'space3d'].sort(),
    );
    for (const scenario of scenarios.values()) {
      expect(() => parseOptions(scenario.options, [])).not.toThrow();
      const usage = scenarioUsage(scenario);
      expect(usage.split('\n')[0]).toBe(`Usage: npm run bench -- ${scenario.name} [options]`);
      for (const [name, spec] of Object.entries(scenario.options)) {
        const left = spec.type === 'string' ? `--${name} ${spec.placeholder}` : `--${name}`;
        expect(usage).toMatch(new RegExp(`^ {2}${left.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`, 'm'));
      }
      expect(usage).toMatch(/^ {2}--out DIR /m);
    }
  });

  it('prints a scenario usage on --help and refuses bad options with exit 2, running nothing', async () => {
    const help = await bench('perturbation', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--burst-every-ms N');
    const bad = await bench('latency', '--rounds', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "bench latency: --rounds expects a positive integer, got 'x'; see `npm run bench -- latency --help`",
    );
    const unknown = await bench('engine', '--skip-nats');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --skip-nats');
    expect((await bench('receivers', '--help')).stdout).toContain('--skip-nats');
    const badMtu = await bench('lan', '--mtu', '100');
    expect(badMtu.code).toBe(2);
    expect(badMtu.stderr).toContain("bench lan: --mtu expects an integer from 576 to 9000, got '100'");
  });

  it('lists the scenarios and prints its own usage', async () => {
    const list = await bench('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^perturbation +healthy-receiver throughput/m);
    expect((await bench('--help')).code).toBe(0);
    expect((await bench()).code).toBe(2);
  });
});
