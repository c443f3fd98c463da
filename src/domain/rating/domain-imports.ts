/* The rating's only imports from the rest of src/domain, kept in one place. */
export { classifyPackageFile } from '../package-parts';
export { licenseScore, normalizeHuggingFaceLicense, type NormalizedLicense } from '../licensing';
