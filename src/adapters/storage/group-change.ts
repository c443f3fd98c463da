import { DomainError, ErrorCode } from '../../domain/errors';
import type { GroupChange } from '../../ports/artifact-repository.port';

/** One change per record: two on one record would have no defined order. Every store refuses them alike. */
export function checkDistinct(change: GroupChange): void {
  const ids = [...change.creates.map((record) => record.id), ...change.updates.map(({ record }) => record.id), ...change.deletes.map(({ id }) => id)];
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) {
    throw new DomainError(ErrorCode.InvalidInput, `group ${change.id} changes artifact ${repeated} more than once`, { artifact_id: repeated });
  }
}
