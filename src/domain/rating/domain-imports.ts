/*
 * The rating's only imports from the rest of src/domain, kept in one place. The lint rule for the domain
 * recognises only `./` specifiers, so a module in a sub-folder cannot name a sibling module of the
 * domain without a disable; these are still imports of the domain by itself.
 */
// eslint-disable-next-line no-restricted-imports
export { classifyPackageFile } from '../package-parts';
// eslint-disable-next-line no-restricted-imports
export { licenseScore, normalizeHuggingFaceLicense, type NormalizedLicense } from '../licensing';
