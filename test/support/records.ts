import type { ArtifactPackage, ArtifactRecord } from '../../src/domain/artifact';

/** The stored package of a record a test knows to be mirrored or uploaded (not an external reference). */
export function packageOf(record: Pick<ArtifactRecord, 'id' | 'package'> | undefined): ArtifactPackage {
  if (record?.package === undefined) throw new Error(`record ${record?.id ?? '(missing)'} has no stored package`);
  return record.package;
}
