import { ARTIFACT_TYPES, type ArtifactType } from '../api-types';

export const TYPE_LABELS: Record<ArtifactType, string> = { model: 'Models', dataset: 'Datasets', code: 'Code' };

/** Checkboxes for the artifact kinds to show. */
export function TypeFilter({ selected, onChange, legend = 'Show' }: { selected: readonly ArtifactType[]; onChange: (types: ArtifactType[]) => void; legend?: string }) {
  const toggle = (type: ArtifactType, on: boolean): void =>
    onChange(ARTIFACT_TYPES.filter((candidate) => (candidate === type ? on : selected.includes(candidate))));
  return (
    <fieldset class="type-filter">
      <legend>{legend}</legend>
      {ARTIFACT_TYPES.map((type) => (
        <label key={type} class="check">
          <input type="checkbox" name="types" value={type} checked={selected.includes(type)} onChange={(event) => toggle(type, event.currentTarget.checked)} />
          {TYPE_LABELS[type]}
        </label>
      ))}
    </fieldset>
  );
}

export function TypeBadge({ type }: { type: ArtifactType }) {
  return <span class={`badge badge--${type}`}>{type}</span>;
}
