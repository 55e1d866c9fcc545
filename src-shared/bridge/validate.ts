// The bridge's one check of untrusted input, where it enters: a renderer's command at the host
// (both shells), a host's event in the renderer (both transports). A failure is a sentence
// naming what was wrong, e.g. "act: intent.x must be a number".
import type { CommandName, Commands, EventName, Events } from './protocol';
import { COMMAND_ARGS, EVENT_DATA } from './protocol';
import type { z } from './zod';

/** A checked command: its name and arguments, correlated. */
export type Call = {
  [C in CommandName]: { readonly command: C; readonly args: Commands[C]['args'] };
}[CommandName];

/** A checked event: its name and data, correlated. */
export type BridgeEvent = { [E in EventName]: { readonly event: E; readonly data: Events[E] } }[EventName];

export type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function parseCall(command: unknown, args: unknown): Checked<Call> {
  if (typeof command !== 'string' || !Object.hasOwn(COMMAND_ARGS, command)) {
    return { ok: false, error: `unknown command ${nameOf(command)}` };
  }
  const name = command as CommandName;
  const parsed = COMMAND_ARGS[name].safeParse(args, { reportInput: true });
  if (!parsed.success) return { ok: false, error: `${name}: ${describeIssues(parsed.error.issues, 'args')}` };
  // The schema of `name` checked `args`: TypeScript cannot correlate the two on its own.
  return { ok: true, value: { command: name, args: parsed.data } as Call };
}

export function parseEvent(event: unknown, data: unknown): Checked<BridgeEvent> {
  if (typeof event !== 'string' || !Object.hasOwn(EVENT_DATA, event)) {
    return { ok: false, error: `unknown event ${nameOf(event)}` };
  }
  const name = event as EventName;
  const parsed = EVENT_DATA[name].safeParse(data, { reportInput: true });
  if (!parsed.success)
    return { ok: false, error: `'${name}' event: ${describeIssues(parsed.error.issues, 'data')}` };
  return { ok: true, value: { event: name, data: parsed.data } as BridgeEvent };
}

function nameOf(value: unknown): string {
  if (typeof value === 'string') return `'${value.slice(0, 64)}'`;
  return value === undefined ? '(none given)' : `(a ${typeof value}, not a name)`;
}

/** The first problem zod found, as "PATH must be …"; `root` names the value itself. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], root: string): string {
  const issue = issues[0];
  if (!issue) return `${root} is invalid`;
  const closest = closestForm(issue);
  if (closest && issues.length === 1) return describeIssues(closest, root);
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${pathText(issue.path, root)} ${problemOf(issue)}${more}`;
}

/** Of a plain union (no discriminator), the problems of the form the value came closest to (the
 * fewest problems), at their full path: "transport must be …" says more than "matches none". */
function closestForm(issue: z.core.$ZodIssue): z.core.$ZodIssue[] | undefined {
  if (issue.code !== 'invalid_union' || (issue as { discriminator?: string }).discriminator !== undefined) {
    return undefined;
  }
  const forms = issue.errors.filter((e) => e.length > 0);
  if (forms.length === 0) return undefined;
  const fewest = forms.reduce((a, b) => (b.length < a.length ? b : a));
  return fewest.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
}

function pathText(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text.startsWith('[') ? `${root}${text}` : text;
}

const ARTICLE: Readonly<Record<string, string>> = {
  int: 'an integer',
  object: 'an object',
  array: 'a list',
  tuple: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function problemOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined)
        return `is missing (it must be ${ARTICLE[issue.expected] ?? issue.expected})`;
      return `must be ${ARTICLE[issue.expected] ?? issue.expected}`;
    case 'invalid_union': {
      // A discriminated union names its options and the discriminator (untyped in zod's issue).
      const { options, discriminator, input } = issue as {
        options?: unknown[];
        discriminator?: string;
        input?: unknown;
      };
      if (!options || discriminator === undefined) return 'matches none of the forms it may take';
      const got =
        typeof input === 'object' && input !== null
          ? (input as Record<string, unknown>)[discriminator]
          : undefined;
      const seen = typeof got === 'string' ? `'${got.slice(0, 64)}' ` : '';
      return `${seen}is not one of ${options.map(String).join(', ')}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `must ${bound(issue.origin, issue.inclusive ? 'at least' : 'more than', issue.minimum)}`;
    case 'too_big':
      return `must ${bound(issue.origin, issue.inclusive ? 'at most' : 'less than', issue.maximum)}`;
    case 'invalid_format':
      return `must match ${issue.pattern ?? issue.format}`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'is invalid';
  }
}

function bound(origin: string, relation: string, limit: number | bigint): string {
  if (origin === 'array') return `have ${relation} ${limit} items`;
  if (origin === 'string') return `be ${relation} ${limit} characters long`;
  return `be ${relation} ${limit}`;
}
