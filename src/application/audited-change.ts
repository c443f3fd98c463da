import type { AuditEntry } from '../domain/audit';
import type { AuditLog } from '../ports/audit-log.port';

/**
 * Records a change that has just been applied. When the trail refuses the entry, the change is undone
 * and the trail's error answered: an error answer then means nothing happened, and no change is left
 * that the trail cannot account for. Only when the undo fails as well is the outcome unknown, and
 * the answer is a plain server error carrying both causes.
 */
export async function auditOrUndo(audit: AuditLog, entry: AuditEntry, undo: () => Promise<void>): Promise<void> {
  try {
    await audit.append(entry);
  } catch (error) {
    try {
      await undo();
    } catch (undoError) {
      throw new AggregateError([error, undoError], `the ${entry.action} of artifact ${entry.artifact.id} was applied, but neither recorded in the audit trail nor undone`);
    }
    throw error;
  }
}
