// A desktop item's content: opens the item's reference and shows the matching view.
import { parseConsentPlaceholder } from '../../src-shared/bridge/library-consent';
import { LibraryPlaceholder } from './LibraryPlaceholder';
import { ObjectView } from './ObjectView';
import { useOpenReference } from './useOpenReference';

/** Desktops nested deeper than this are shown as a note instead of being opened. */
const MAX_DEPTH = 6;

export interface NestedObjectProps {
  readonly reference: string;
  readonly source: string;
  readonly ancestors: readonly string[];
}

export function NestedObject({ reference, source, ancestors }: NestedObjectProps): React.JSX.Element {
  if (ancestors.includes(reference.trim())) {
    return (
      <div className="view-placeholder">This desktop contains itself; it is not shown again inside.</div>
    );
  }
  if (ancestors.length >= MAX_DEPTH) {
    return <div className="view-placeholder">Nested too deeply to show here; open it on its own.</div>;
  }
  return <OpenedNested reference={reference} source={source} ancestors={ancestors} />;
}

function OpenedNested({ reference, source, ancestors }: NestedObjectProps): React.JSX.Element {
  const state = useOpenReference(reference, source);
  if (state.status === 'opening') return <div className="view-placeholder muted">Opening…</div>;
  if (state.status === 'failed') {
    const library = parseConsentPlaceholder(state.message);
    if (library) return <LibraryPlaceholder {...library} />;
    return (
      <div className="view-placeholder error" data-testid="item-error" role="alert">
        {state.message}
      </div>
    );
  }
  return <ObjectView object={state.object} ancestors={ancestors} />;
}
