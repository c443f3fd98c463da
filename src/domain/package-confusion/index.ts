export { skeleton, hasConfusableCharacters } from './confusables';
export { nameResemblance } from './name-similarity';
export { assessConfusion, findConfusion, downloadBurst, CONFUSION_REPORT_THRESHOLD, type ConfusionFinding, type ConfusionReport, type ConfusionSubject } from './confusion';
