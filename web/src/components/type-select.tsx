import { ARTIFACT_TYPES, type ArtifactType } from '../api-types';

const LABELS: Record<ArtifactType, string> = { model: 'Model', dataset: 'Dataset', code: 'Code' };

export function TypeSelect({ id, value, onChange }: { id: string; value: ArtifactType; onChange: (type: ArtifactType) => void }) {
  return (
    <div class="field">
      <label for={id}>Kind</label>
      <select id={id} value={value} onChange={(event) => onChange(event.currentTarget.value as ArtifactType)}>
        {ARTIFACT_TYPES.map((type) => (
          <option key={type} value={type}>
            {LABELS[type]}
          </option>
        ))}
      </select>
    </div>
  );
}
