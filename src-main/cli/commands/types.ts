// `liveobjects types`: the built-in types, formalisms, objects and templates.
import { defineCommand } from '../command';
import { BUILTIN_TYPES, describeBuiltin } from '../../../src-shared/model/catalogue';
import { formatObjectTypeName } from '../../../src-shared/model/describe';
import { defaultFormalismRegistry } from '../../../src-shared/model/formalisms';
import { builtinCatalogue } from '../../objects/builtins';
import { describeParameter } from '../../runtime/static-check';
import type { CatalogueEntry } from '../../runtime/catalogue';

export function describeEntry(e: CatalogueEntry): string {
  const implemented = e.kind === 'object' ? e.create !== undefined : e.instantiate !== undefined;
  const lines = [
    `${e.kind} ${e.id} : ${formatObjectTypeName(e.type)}${implemented ? '' : '  [not available in this build yet]'}`,
    `  ${e.description}`,
  ];
  if (e.kind === 'template') {
    for (const p of e.params) {
      lines.push(
        `  param ${p.name}: ${describeParameter(p)}${p.required ? '' : ' (optional)'}${p.description ? ` — ${p.description}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export const command = defineCommand({
  name: 'types',
  summary: 'list the built-in types, formalisms, objects and templates',
  synopsis: '',
  options: {},
  read: () => undefined,
  async run() {
    const out = ['Built-in types:', ''];
    for (const def of BUILTIN_TYPES.values()) out.push(describeBuiltin(def), '');
    out.push('Constraint formalisms:', ...defaultFormalismRegistry.ids().map((id) => `  ${id}`), '');
    out.push('Built-in objects and templates:', '');
    for (const e of builtinCatalogue().list()) out.push(describeEntry(e), '');
    console.log(out.join('\n'));
    return 0;
  },
});
