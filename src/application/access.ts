import { DomainError, ErrorCode } from '../domain/errors';
import { can, type Permission, type User } from '../domain/user';
import type { ArtifactRecord, ArtifactType } from '../domain/artifact';
import type { ArtifactRepository } from '../ports/artifact-repository.port';

export function requirePermission(actor: User, permission: Permission): void {
  if (!can(actor, permission)) {
    throw new DomainError(ErrorCode.Forbidden, `user "${actor.name}" lacks the "${permission}" permission`);
  }
}

/** A record of the given type, or ARTIFACT.NOT_FOUND — a model id asked for as a dataset does not exist. */
export async function loadArtifact(
  repository: ArtifactRepository,
  type: ArtifactType,
  id: string,
): Promise<ArtifactRecord> {
  const record = await repository.get(id);
  if (record === undefined || record.type !== type) {
    throw new DomainError(ErrorCode.ArtifactNotFound, `no ${type} artifact has id "${id}"`);
  }
  return record;
}

/**
 * Changing or removing an artifact is for the user who registered it and for administrators; the
 * `upload` permission alone only lets a user add artifacts of their own.
 */
export function requireOwnerOrAdmin(actor: User, record: ArtifactRecord, verb: 'replace' | 'delete'): void {
  if (!actor.isAdmin && record.createdBy !== actor.name) {
    throw new DomainError(ErrorCode.Forbidden, `only an admin or "${record.createdBy}" may ${verb} artifact ${record.id}`);
  }
}
