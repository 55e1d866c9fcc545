// `liveobjects inspect FILE`: the reference tree, indented, and the derived object type.
import { defineCommand } from '../command';
import type { Reference } from '../../../src-shared/format/document';
import { formatValue } from '../../../src-shared/format/values';
import { formatTypeExpr } from '../../../src-shared/model/type-expr';
import { describeObjectType } from '../../../src-shared/model/describe';
import { builtinCatalogue } from '../../objects/builtins';
import { LIBRARY_ID } from '../../objects/library';
import { checkDocument } from '../../runtime/static-check';
import { formatPosition } from '../../runtime/errors';
import { readDocument } from '../../runtime/read-document';

function at(ref: { pos?: { line: number; column: number } }): string {
  return ref.pos ? `  (${formatPosition(ref.pos)})` : '';
}

/** The reference tree, one node per line, children indented by two spaces. */
export function referenceTree(ref: Reference, indent = ''): string[] {
  const next = `${indent}    `;
  switch (ref.kind) {
    case 'primitive':
      return [`${indent}primitive ${ref.id}${at(ref)}`];
    case 'external':
      return [
        `${indent}external '${ref.name}' as ${formatTypeExpr(ref.as)}${at(ref)}`,
        `${indent}  from:`,
        ...referenceTree(ref.from, next),
      ];
    case 'parameterized':
      return [
        `${indent}parameterized${at(ref)}`,
        `${indent}  template:`,
        ...referenceTree(ref.template, next),
        ...ref.params.flatMap((p) => {
          const v = p.value;
          if (v.kind === 'value')
            return [`${indent}  param ${p.name} = ${v.value.type} ${formatValue(v.value)}`];
          if (v.kind === 'type') return [`${indent}  param ${p.name} = type ${formatTypeExpr(v.type)}`];
          return [`${indent}  param ${p.name}:`, ...referenceTree(v.reference, next)];
        }),
      ];
    case 'composite':
      return [
        `${indent}composite${at(ref)}`,
        ...ref.components.flatMap((c) => [
          `${indent}  component ${c.name}:`,
          ...referenceTree(c.reference, next),
        ]),
        ...ref.connections.map(
          (c) => `${indent}  connect ${c.a.component}.${c.a.endpoint} ↔ ${c.b.component}.${c.b.endpoint}`,
        ),
        ...ref.exports.map(
          (x) => `${indent}  export ${x.endpoint.component}.${x.endpoint.endpoint} as ${x.as}`,
        ),
      ];
  }
}

/** The `liveobjects.library` instances a reference names, in order, without repeats. */
export function librariesIn(ref: Reference): { url: string; sha256: string }[] {
  const found = new Map<string, { url: string; sha256: string }>();
  const visit = (r: Reference): void => {
    switch (r.kind) {
      case 'primitive':
        return;
      case 'external':
        return visit(r.from);
      case 'composite':
        return r.components.forEach((c) => visit(c.reference));
      case 'parameterized': {
        visit(r.template);
        const value = (name: string) => {
          const p = r.params.find((x) => x.name === name)?.value;
          return p?.kind === 'value' && p.value.type === 'string' ? p.value.value : undefined;
        };
        const url = value('url');
        const sha256 = value('sha256');
        if (r.template.kind === 'primitive' && r.template.id === LIBRARY_ID && url && sha256)
          found.set(`${url}\n${sha256}`, { url, sha256 });
        for (const p of r.params) if (p.value.kind === 'reference') visit(p.value.reference);
        return;
      }
    }
  };
  visit(ref);
  return [...found.values()];
}

export const command = defineCommand({
  name: 'inspect',
  summary: 'show the reference tree of a .liveobject file and its object type',
  synopsis: 'FILE',
  arguments: { name: 'FILE', description: 'a .liveobject file', min: 1, max: 1 },
  options: {},
  read: ({ positionals: [file] }) => file ?? '',
  async run(file) {
    const read = await readDocument(file);
    if (!read.ok) {
      console.error(read.error);
      return 1;
    }
    const { document } = read;
    const lines: string[] = [];
    if (document.meta.title) lines.push(`title: ${document.meta.title}`);
    if (document.types.length) lines.push(`declared types: ${document.types.map((t) => t.name).join(', ')}`);
    lines.push('reference:', ...referenceTree(document.reference, '  '), '');
    const report = checkDocument(document, { catalogue: builtinCatalogue() });
    if (report.type) lines.push(describeObjectType(report.type));
    const libraries = librariesIn(document.reference);
    if (libraries.length > 0) {
      lines.push(
        '',
        'code libraries (not loaded by inspect or check; the app asks before running their code, and',
        '`liveobjects serve --allow-library URL` allows one without asking):',
        ...libraries.map((l) => `  ${l.url}  SHA-256 ${l.sha256}`),
      );
    }
    console.log(lines.join('\n'));
    for (const p of report.problems) console.error(`${file}:${formatPosition(p.pos)}: ${p.message}`);
    return report.problems.length > 0 ? 1 : 0;
  },
});
