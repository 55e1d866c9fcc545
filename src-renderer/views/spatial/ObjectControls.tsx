// Small HTML controls for a 3D object's own intents: an airplane's callsign and bindings, a
// building's colour, a map's annotate mode. Shown for the selected object of a space, and on
// top of a 3D object opened in its own window.
import { useEffect, useRef, useState } from 'react';
import type { Intent, OpenedObject } from '../../../src-shared/bridge/protocol';
import { useViewState } from '../../app/stores/replicas';
import { useAct } from '../useAct';
import { AIRPLANE_BEFORE_STATE, BUILDING_BEFORE_STATE, MAP_BEFORE_STATE } from './spatial-state';
import { spatialLocal, useAnnotate } from './spatial-local';

export function ObjectControls({ object }: { object: OpenedObject }): React.JSX.Element | null {
  switch (object.kind) {
    case 'airplane':
      return <AirplaneControls object={object} />;
    case 'building':
      return <BuildingControls object={object} />;
    case 'map':
      return <MapControls object={object} />;
    default:
      return null;
  }
}

/** The object's own intents; a refusal is reported under its title. */
function useObjectAct(object: OpenedObject): (intent: Intent) => void {
  return useAct(object.handle, `${object.title} did not take the change`);
}

function AirplaneControls({ object }: { object: OpenedObject }): React.JSX.Element {
  const state = useViewState(object.handle, 'airplane') ?? AIRPLANE_BEFORE_STATE;
  const act = useObjectAct(object);
  // The text being typed, reset to the replicated callsign whenever that changes (adjusted
  // while rendering, React's way to reset state on new props).
  const [draft, setDraft] = useState({ of: state.callsign, text: state.callsign });
  if (draft.of !== state.callsign) setDraft({ of: state.callsign, text: state.callsign });
  const callsign = draft.of === state.callsign ? draft.text : state.callsign;
  const setCallsign = (text: string) => setDraft({ of: state.callsign, text });
  const commit = () => {
    const next = callsign.trim().slice(0, 32);
    if (next !== state.callsign) act({ kind: 'airplane.callsign', callsign: next });
  };
  return (
    <div className="object-controls" data-testid="airplane-controls">
      <label>
        Callsign
        <input
          data-testid="airplane-callsign-input"
          value={callsign}
          maxLength={32}
          onChange={(e) => setCallsign(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') commit();
          }}
        />
      </label>
      <span className="muted small" data-testid="airplane-binding">
        {state.stream ? `Flying track ${state.track}` : 'No stream: drop a coordinate stream on it'}
        {state.livery ? ' · livery' : ''}
      </span>
      {state.stream && (
        <button
          type="button"
          className="button small ghost"
          data-testid="airplane-unbind-stream"
          onClick={() => act({ kind: 'airplane.unbind', what: 'stream' })}
        >
          Unbind stream
        </button>
      )}
      {state.livery && (
        <button
          type="button"
          className="button small ghost"
          data-testid="airplane-unbind-livery"
          onClick={() => act({ kind: 'airplane.unbind', what: 'livery' })}
        >
          Remove livery
        </button>
      )}
    </div>
  );
}

/** The picker fires on every pointer move: send at most this often (and the final value). */
const COLOR_THROTTLE_MS = 150;

function BuildingControls({ object }: { object: OpenedObject }): React.JSX.Element {
  const state = useViewState(object.handle, 'building') ?? BUILDING_BEFORE_STATE;
  const act = useObjectAct(object);
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  const send = (color: string) => {
    clearTimeout(pending.current);
    const wait = COLOR_THROTTLE_MS - (Date.now() - last.current);
    const go = () => {
      last.current = Date.now();
      act({ kind: 'building.color', color: color.toLowerCase() });
    };
    if (wait <= 0) go();
    else pending.current = setTimeout(go, wait);
  };
  return (
    <div className="object-controls" data-testid="building-controls">
      <label>
        Colour
        <input
          type="color"
          data-testid="building-color"
          value={state.color}
          onChange={(e) => send(e.target.value)}
        />
      </label>
      <span className="muted small">
        {state.name || 'Building'} · {state.height} m
      </span>
    </div>
  );
}

function MapControls({ object }: { object: OpenedObject }): React.JSX.Element {
  const state = useViewState(object.handle, 'map') ?? MAP_BEFORE_STATE;
  const key = object.reference.trim();
  const annotate = useAnnotate(key);
  return (
    <div className="object-controls" data-testid="map-controls">
      <span className="muted small">
        {state.area.name} · {state.annotations.length} annotation{state.annotations.length === 1 ? '' : 's'}
      </span>
      <input
        data-testid="map-annotation-text"
        placeholder="Annotation text"
        value={annotate.text}
        maxLength={1000}
        onChange={(e) => spatialLocal.getState().setAnnotate(key, { text: e.target.value })}
        onKeyDown={(e) => e.stopPropagation()}
      />
      <button
        type="button"
        className={`button small${annotate.on ? ' primary' : ' ghost'}`}
        data-testid="map-annotate"
        aria-pressed={annotate.on}
        onClick={() => spatialLocal.getState().setAnnotate(key, { on: !annotate.on })}
      >
        {annotate.on ? 'Click the map…' : 'Annotate'}
      </button>
    </div>
  );
}
