import type { ArtifactRecord } from './artifact';
import type { HuggingFaceLicenseFields } from './licensing';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);
const texts = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;

/**
 * The license fields an artifact declares. The source's own metadata (Hugging Face card data and
 * tags) wins; an uploaded package's model card front matter is the fallback.
 */
export function licenseFieldsOf(record: Pick<ArtifactRecord, 'origin' | 'card'>): HuggingFaceLicenseFields {
  const info = record.origin?.hub === 'huggingface' ? record.origin.info : undefined;
  const cardData = (info?.cardData ?? record.card?.metadata ?? {}) as Record<string, unknown>;
  const license = cardData.license;
  const fields: HuggingFaceLicenseFields = {};
  const declared = typeof license === 'string' ? license : texts(license);
  if (declared !== undefined) fields.license = declared;
  const name = text(cardData.license_name);
  if (name !== undefined) fields.license_name = name;
  const link = text(cardData.license_link);
  if (link !== undefined) fields.license_link = link;
  const tags = texts(info?.tags) ?? texts(cardData.tags)?.map((tag) => (tag.includes(':') ? tag : `tag:${tag}`));
  if (tags !== undefined) fields.tags = tags;
  return fields;
}
