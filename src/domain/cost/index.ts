export * from './artifact-cost';
