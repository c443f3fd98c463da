export * from './verdict';
export { judgeGlobal, type GlobalJudgement } from './pickle-globals';
export { PickleStreamScanner, scanPickleBytes, type PickleImport, type PickleScanResult } from './pickle-scanner';
export { planScan, judgePickle, SNIFF_BYTES, type ContentScanner, type ScanPlan } from './file-scanners';
export { checkSafetensors, checkGguf, checkOnnx, readNpyHeader } from './weight-headers';
