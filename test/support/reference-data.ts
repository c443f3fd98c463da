import { resolve } from 'node:path';

/**
 * Public reference data kept in the repository so every clone can run every test: real Hugging Face
 * model metadata (cards, file lists, licenses), real GitHub repository metadata, and the course's API
 * contract that our OpenAPI document must stay compatible with.
 */
const DIR = resolve(__dirname, '../fixtures/reference');

export const HF_MODELS_PATH = resolve(DIR, 'hf-public-model-metadata.json');
export const GITHUB_REPOS_PATH = resolve(DIR, 'github-public-repo-metadata.json');
export const CONTRACT_PATH = resolve(DIR, 'ece461-fall2025-openapi-3.4.7.yaml');
