// Templates to drag onto a desktop (or click to open as a new window).
import type { TemplateInfo } from '../../src-shared/bridge/protocol';
import { TEMPLATE_MIME } from '../views/drop-data';
import { createObject } from './actions';
import { useBridge } from './BridgeContext';
import { useWorkspace } from './stores/workspace';

const ICONS: Record<string, string> = {
  desktop: '▦',
  note: '✎',
  image: '▣',
  space3d: '◈',
  airplane: '✈',
  building: '▥',
  map: '▤',
  coordinates: '⋯',
  flights: '⇶',
};

export function Toolbox(): React.JSX.Element {
  const templates = useWorkspace((s) => s.templates);
  return (
    <aside className="toolbox" data-testid="toolbox" aria-label="Toolbox">
      <h2>Toolbox</h2>
      <p className="muted small">Drag onto a desktop or a 3D space to place a new object there.</p>
      <ul>
        {templates.map((t) => (
          <ToolboxItem key={t.kind} template={t} />
        ))}
      </ul>
      {templates.length === 0 && <p className="muted small">Templates appear once the host answers.</p>}
    </aside>
  );
}

function ToolboxItem({ template }: { template: TemplateInfo }): React.JSX.Element {
  const bridge = useBridge();
  return (
    <li>
      <button
        type="button"
        className="toolbox-item"
        draggable
        data-testid={`toolbox-item-${template.kind}`}
        title={`${template.description} (click to open a new one in its own window)`}
        onDragStart={(e) => {
          e.dataTransfer.setData(TEMPLATE_MIME, template.kind);
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={() => void createObject(bridge, template.kind)}
      >
        <span className="toolbox-icon" aria-hidden="true">
          {ICONS[template.kind] ?? '◇'}
        </span>
        <span className="toolbox-text">
          <span className="toolbox-title">{template.title}</span>
          <span className="toolbox-description">{template.description}</span>
        </span>
      </button>
    </li>
  );
}
