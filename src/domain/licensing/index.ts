export {
  normalizeGitHubLicense,
  normalizeHuggingFaceLicense,
  type Confidence,
  type GitHubLicenseFields,
  type HuggingFaceLicenseFields,
  type NormalizedLicense,
} from './license-normalizer';
export { normalizeLicense } from './license-text';
export {
  checkLicenseCompatibility,
  DEFAULT_LICENSE_USE,
  type LicenseCompatibility,
  type LicenseSide,
  type LicenseUse,
} from './license-compatibility';
export { licenseScore, LICENSE_SCORE_SCALE, type LicenseScore } from './license-score';
export {
  LICENSE_TERMS,
  termsFor,
  type CopyleftScope,
  type Derivatives,
  type GplCompatibility,
  type LicenseFamily,
  type LicenseTerms,
} from './license-terms';
export { LICENSE_BRIDGES, LICENSE_EXCEPTIONS, type LicenseBridge, type LicenseException } from './license-bridges';
