import type { ArtifactRecord } from '../domain/artifact';
import type { EvidenceInput } from './evidence-collector';
import type { AcceptedPackage } from './package-intake';

/** What the evidence collector needs of a package that is about to become `record`. */
export function evidenceInputOf(record: ArtifactRecord, accepted: AcceptedPackage, sourceSeconds?: number): EvidenceInput {
  const { inspection } = accepted;
  return {
    name: record.origin?.repo ?? record.name,
    ...(record.origin === undefined ? {} : { origin: record.origin }),
    files: record.origin?.files ?? accepted.package.files,
    ...(inspection.readme === undefined ? {} : { readme: inspection.readme }),
    ...(inspection.cardMetadata === undefined ? {} : { cardMetadata: inspection.cardMetadata }),
    ...(inspection.config === undefined ? {} : { config: inspection.config }),
    ...(inspection.adapterConfig === undefined ? {} : { adapterConfig: inspection.adapterConfig }),
    ...(sourceSeconds === undefined ? {} : { sourceSeconds }),
  };
}
