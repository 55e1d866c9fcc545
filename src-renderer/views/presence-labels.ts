// Remote carets with their user's name visible, as Google Docs shows them: the label (drawn by
// y-codemirror.next, which keeps it hidden until hover) shows while its user is active, fades a
// few seconds after they stop, and comes back on their next move or edit.
import type { Extension } from '@codemirror/state';
import type { EditorView, PluginValue } from '@codemirror/view';
import { ViewPlugin } from '@codemirror/view';
import type { Awareness } from 'y-protocols/awareness';

/** How long a name stays up after its user last moved or typed. */
export const LABEL_VISIBLE_MS = 4_000;

/** The attribute that marks the caret of an active user (styles.css shows its label). */
export const ACTIVE_ATTRIBUTE = 'data-active';

/** The argument of an Awareness `change` event. */
export interface AwarenessChange {
  readonly added: readonly number[];
  readonly updated: readonly number[];
  readonly removed: readonly number[];
}

/** When each remote user last changed their awareness state (moved, selected, typed). */
export class RemoteActivity {
  private readonly lastSeen = new Map<number, number>();

  constructor(
    private readonly awareness: Awareness,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an awareness `change` event. */
  record({ added, updated, removed }: AwarenessChange): void {
    const self = this.awareness.clientID;
    const at = this.now();
    for (const id of [...added, ...updated]) if (id !== self) this.lastSeen.set(id, at);
    for (const id of removed) this.lastSeen.delete(id);
  }

  /** Names of the remote users active within the last LABEL_VISIBLE_MS. */
  activeNames(): Set<string> {
    const at = this.now();
    const states = this.awareness.getStates();
    const names = new Set<string>();
    for (const [id, seen] of this.lastSeen) {
      if (at - seen >= LABEL_VISIBLE_MS) continue;
      const name = (states.get(id) as { user?: { name?: unknown } } | undefined)?.user?.name;
      if (typeof name === 'string') names.add(name);
    }
    return names;
  }

  /** Milliseconds until the next active label should fade; undefined when none is active. */
  nextFadeIn(): number | undefined {
    const at = this.now();
    let next: number | undefined;
    for (const seen of this.lastSeen.values()) {
      const left = seen + LABEL_VISIBLE_MS - at;
      if (left > 0 && (next === undefined || left < next)) next = left;
    }
    return next;
  }
}

/** Marks the carets (`.cm-ySelectionCaret`) of active users after each redraw, unmarks on fade. */
class PresenceLabels implements PluginValue {
  private readonly activity: RemoteActivity;
  private fadeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly onChange = (change: AwarenessChange): void => {
    this.activity.record(change);
    this.schedule();
  };

  constructor(
    private readonly view: EditorView,
    private readonly awareness: Awareness,
  ) {
    this.activity = new RemoteActivity(awareness);
    awareness.on('change', this.onChange);
  }

  update(): void {
    // The carets may have been redrawn: mark them once the DOM is written.
    this.view.requestMeasure({ read: () => undefined, write: () => this.mark(), key: this });
  }

  private schedule(): void {
    this.update();
    clearTimeout(this.fadeTimer);
    const fadeIn = this.activity.nextFadeIn();
    if (fadeIn !== undefined) this.fadeTimer = setTimeout(() => this.schedule(), fadeIn + 10);
  }

  private mark(): void {
    const active = this.activity.activeNames();
    for (const caret of this.view.dom.querySelectorAll<HTMLElement>('.cm-ySelectionCaret')) {
      const name = caret.querySelector('.cm-ySelectionInfo')?.textContent ?? '';
      caret.toggleAttribute(ACTIVE_ATTRIBUTE, active.has(name));
    }
  }

  destroy(): void {
    clearTimeout(this.fadeTimer);
    this.awareness.off('change', this.onChange);
  }
}

/** The extension for an editor bound to `awareness` (next to yCollab). */
export function presenceLabels(awareness: Awareness): Extension {
  return ViewPlugin.define((view) => new PresenceLabels(view, awareness));
}
