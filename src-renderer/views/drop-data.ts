// What a drop or a paste carries, decided from the DataTransfer's types, text and files.
// Pure so it is tested without a DOM: the caller adapts DataTransfer to DropInput.
import type { TemplateKind } from '../../src-shared/bridge/protocol';
import { VIEW_KINDS } from '../../src-shared/bridge/protocol';
import { MEDIA_TYPE } from '../../src-shared/format/constants';

/** The reference XML of a live object being dragged between desktops (and out of the app):
 * the format's own media type. */
export const LIVEOBJECT_MIME = MEDIA_TYPE;
/** A toolbox template being dragged: the template kind. */
export const TEMPLATE_MIME = 'application/x-liveobject-template';

const TEMPLATE_KINDS: readonly TemplateKind[] = VIEW_KINDS;

export interface DroppedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

export interface DropInput<F extends DroppedFile> {
  readonly types: readonly string[];
  getData(type: string): string;
  readonly files: readonly F[];
}

export type DropPayload<F extends DroppedFile> =
  | { readonly kind: 'template'; readonly template: TemplateKind }
  | { readonly kind: 'reference'; readonly xml: string; readonly source: string }
  | { readonly kind: 'reference-file'; readonly file: F }
  | { readonly kind: 'image-file'; readonly file: F }
  | { readonly kind: 'unsupported'; readonly reason: string };

/** Whether a drag may be dropped here at all (dragover only sees types, not data). */
export function acceptsDrag(types: readonly string[]): boolean {
  return types.some(
    (t) => t === LIVEOBJECT_MIME || t === TEMPLATE_MIME || t === 'Files' || t === 'text/plain',
  );
}

export function looksLikeReference(text: string): boolean {
  const t = text.trim();
  return t.startsWith('<') && /<liveobject[\s>]/.test(t);
}

export function isTemplateKind(value: string): value is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(value);
}

export function classifyDrop<F extends DroppedFile>(input: DropInput<F>): DropPayload<F>[] {
  if (input.types.includes(TEMPLATE_MIME)) {
    const template = input.getData(TEMPLATE_MIME).trim();
    if (isTemplateKind(template)) return [{ kind: 'template', template }];
    return [{ kind: 'unsupported', reason: `Unknown template "${template}".` }];
  }
  if (input.types.includes(LIVEOBJECT_MIME)) {
    const xml = input.getData(LIVEOBJECT_MIME);
    if (xml.trim()) return [{ kind: 'reference', xml, source: 'dragged object' }];
  }
  if (input.files.length > 0) return input.files.map(classifyFile);
  const text = input.types.includes('text/plain') ? input.getData('text/plain') : '';
  if (looksLikeReference(text)) return [{ kind: 'reference', xml: text, source: 'pasted reference' }];
  if (text.trim()) {
    return [{ kind: 'unsupported', reason: 'That text is not a live object reference (.liveobject XML).' }];
  }
  return [{ kind: 'unsupported', reason: 'Nothing here can be placed on a desktop.' }];
}

export function classifyFile<F extends DroppedFile>(file: F): DropPayload<F> {
  if (/\.liveobject$/i.test(file.name)) return { kind: 'reference-file', file };
  if (file.type.startsWith('image/')) return { kind: 'image-file', file };
  return { kind: 'unsupported', reason: `"${file.name}" is neither a .liveobject file nor an image.` };
}
