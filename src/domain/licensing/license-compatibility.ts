import { canCarry, exceptionFor } from './license-bridges';
import { alternatives, leafText, parseExpression, type LicenseLeaf } from './license-expression';
import type { Confidence, NormalizedLicense } from './license-normalizer';
import { termsFor, type CopyleftScope, type LicenseTerms } from './license-terms';

/**
 * The use we judge: fine-tune the model with the code, then run inference or generation with the
 * result. `commercial`: ACME is an enterprise, so by default the use may be commercial. `distribute`:
 * by default the fine-tuned model may be published, with the code it needs.
 */
export interface LicenseUse {
  purpose: 'fine-tune+inference';
  commercial: boolean;
  distribute: boolean;
}

export const DEFAULT_LICENSE_USE: LicenseUse = { purpose: 'fine-tune+inference', commercial: true, distribute: true };

export interface LicenseSide {
  expression?: string;
  /** The branch of an OR the verdict is based on (the most favourable one). */
  chosen?: string;
  source: string;
  confidence: Confidence;
}

export interface LicenseCompatibility {
  compatible: boolean;
  reasons: string[];
  obligations: string[];
  use: LicenseUse;
  model: LicenseSide;
  code: LicenseSide;
}

interface Findings {
  blocking: string[];
  reasons: string[];
  obligations: string[];
}

interface Known {
  leaf: LicenseLeaf;
  terms: LicenseTerms;
}

/**
 * Whether a GitHub project's code may be used to fine-tune a model and run inference with the result,
 * given both licenses. Computed from the rule table: AND means every part applies, OR lets the licensee
 * choose the most favourable branch. A license we cannot identify is never compatible by default.
 */
export function checkLicenseCompatibility(
  model: NormalizedLicense,
  code: NormalizedLicense,
  use: Partial<Omit<LicenseUse, 'purpose'>> = {},
): LicenseCompatibility {
  const fullUse: LicenseUse = { ...DEFAULT_LICENSE_USE, ...use };
  const modelChoices = choicesOf(model, 'model');
  const codeChoices = choicesOf(code, 'code');
  if (typeof modelChoices === 'string' || typeof codeChoices === 'string') {
    const reasons = [modelChoices, codeChoices].filter((reason): reason is string => typeof reason === 'string');
    const headline = 'not compatible: a license that cannot be determined is never compatible by default';
    return verdict(false, [headline, ...reasons], [], fullUse, side(model), side(code));
  }
  const best = bestPair(modelChoices, codeChoices, fullUse);
  const compatible = best.findings.blocking.length === 0;
  const headline = `${compatible ? 'compatible' : 'not compatible'}: model ${best.model} with code ${best.code}, for ${describe(fullUse)}`;
  const reasons = [headline, ...choiceNotes('model', model, modelChoices, best.model, compatible), ...choiceNotes('code', code, codeChoices, best.code, compatible),
    ...best.findings.blocking, ...confidenceNotes('model', model), ...confidenceNotes('code', code), ...best.findings.reasons];
  return verdict(compatible, reasons, unique(best.findings.obligations), fullUse, side(model, best.model), side(code, best.code));
}

function choicesOf(license: NormalizedLicense, role: string): LicenseLeaf[][] | string {
  if (license.expression === undefined) return `${role} license cannot be determined: ${license.note ?? 'no license given'}`;
  let choices: LicenseLeaf[][] | undefined;
  try {
    choices = alternatives(parseExpression(license.expression));
  } catch {
    return `${role} license cannot be determined: "${license.expression}" is not a well-formed SPDX expression`;
  }
  return choices ?? `${role} license cannot be determined: "${license.expression}" offers too many alternatives to evaluate`;
}

function bestPair(models: LicenseLeaf[][], codes: LicenseLeaf[][], use: LicenseUse) {
  const pairs = models.flatMap((m) => codes.map((c) => ({ model: m.map(leafText).join(' AND '), code: c.map(leafText).join(' AND '), findings: evaluate(m, c, use) })));
  const rank = (f: Findings) => f.blocking.length * 1000 + f.obligations.length;
  return pairs.reduce((best, pair) => (rank(pair.findings) < rank(best.findings) ? pair : best));
}

function evaluate(modelLeaves: LicenseLeaf[], codeLeaves: LicenseLeaf[], use: LicenseUse): Findings {
  const findings: Findings = { blocking: [], reasons: [], obligations: [] };
  const model = known(modelLeaves, 'model', findings);
  const code = known(codeLeaves, 'code', findings);
  if (findings.blocking.length > 0) return findings;
  for (const item of model) judgeModel(item, use, findings);
  for (const item of code) judgeCode(item, use, findings);
  judgeShareAlike(model, code, use, findings);
  return findings;
}

function known(leaves: LicenseLeaf[], role: string, findings: Findings): Known[] {
  return leaves.flatMap((leaf) => {
    const terms = termsFor(leaf.id);
    if (terms === undefined) findings.blocking.push(`${role} license ${leaf.id} is not in the rule table, so its compatibility cannot be determined`);
    return terms === undefined ? [] : [{ leaf, terms }];
  });
}

function judgeModel({ leaf, terms }: Known, use: LicenseUse, findings: Findings): void {
  const { id } = terms;
  findings.reasons.push(`model license ${id} (${terms.family}): ${terms.rationale}`);
  if (terms.derivatives === 'forbidden') findings.blocking.push(`model license ${id} forbids derivatives, and fine-tuning creates a derivative model`);
  if (terms.derivatives === 'private-only') {
    if (use.distribute) findings.blocking.push(`model license ${id} forbids sharing adaptations, and the use includes distributing the fine-tuned model`);
    else findings.obligations.push(`${id}: keep the fine-tuned model private; the license forbids sharing adaptations`);
  }
  if (!terms.commercial) {
    if (use.commercial) findings.blocking.push(`model license ${id} is non-commercial, and the use may be commercial (ACME is an enterprise)`);
    else findings.obligations.push(`${id}: use the model and the fine-tuned model for non-commercial purposes only`);
  }
  if (terms.useRestrictions) findings.obligations.push(`${id}: its use restrictions flow down; they bind the fine-tuned model, inference with it and every recipient`);
  findings.obligations.push(...terms.conditions.map((condition) => `${id}: ${condition}`));
  if (terms.attribution && use.distribute) findings.obligations.push(`${id}: keep the model's license text and attribution notices with the fine-tuned model`);
  const scope = effectiveScope(leaf, terms, findings, 'model');
  if ((scope === 'file' || scope === 'library') && use.distribute) {
    findings.obligations.push(`${id}: distribute the changed model files (the fine-tuned weights) under ${id}`);
  }
  if (scope === 'program' && !use.distribute) findings.reasons.push(`the result is not distributed, so the share-alike terms of ${id} are not triggered`);
  if (scope === 'network') findings.obligations.push(`${id}: offer the source of the fine-tuned model, the fine-tuning code included, to everyone who uses it over a network`);
}

function judgeCode({ leaf, terms }: Known, use: LicenseUse, findings: Findings): void {
  const { id } = terms;
  findings.reasons.push(`code license ${id} (${terms.family}): ${terms.rationale}`);
  if (!terms.commercial) {
    if (use.commercial) findings.blocking.push(`code license ${id} is non-commercial, and the use may be commercial (ACME is an enterprise)`);
    else findings.obligations.push(`${id}: use the code for non-commercial purposes only`);
  }
  if (terms.derivatives !== 'allowed') findings.obligations.push(`${id}: run the code as published; do not distribute modified copies`);
  if (terms.useRestrictions) findings.obligations.push(`${id}: the code's use restrictions apply to fine-tuning and inference`);
  findings.obligations.push(...terms.conditions.map((condition) => `${id}: ${condition}`));
  const scope = effectiveScope(leaf, terms, findings, 'code');
  if (scope === 'network') findings.obligations.push(`${id}: if you change the code and serve inference with it over a network, offer its users the source of your version`);
  if ((scope === 'program' || scope === 'network') && use.distribute) {
    findings.obligations.push(`${id}: distribute the code, and programs built from it, under ${id} with source`);
    findings.reasons.push(`the copyleft of ${id} stays on the code: the fine-tuned weights are output of running it, not a work based on it`);
  }
  if ((scope === 'file' || scope === 'library') && use.distribute) findings.obligations.push(`${id}: distribute the code's files, with your changes, under ${id}`);
  if (terms.attribution && use.distribute) findings.obligations.push(`${id}: keep the code's license and notices in the copies you distribute`);
}

function effectiveScope(leaf: LicenseLeaf, terms: LicenseTerms, findings: Findings, role: string): CopyleftScope {
  if (leaf.exception === undefined) return terms.copyleft;
  const exception = exceptionFor(leaf.exception);
  if (exception === undefined) {
    findings.reasons.push(`${role} exception ${leaf.exception} is not interpreted; ${terms.id} is judged without it (an exception only adds permissions, so this errs on the safe side)`);
    return terms.copyleft;
  }
  findings.reasons.push(`${role} exception ${exception.id} relaxes ${terms.id}: ${exception.rationale}`);
  const linked = exception.effect === 'linking' && (terms.copyleft === 'program' || terms.copyleft === 'network');
  return linked ? 'library' : terms.copyleft;
}

/**
 * A model license whose share-alike covers the whole distributed work reaches the code shipped with the
 * fine-tuned model: one license must be able to carry every part. It may be the model's own license or
 * one the model's license flows into (CC-BY-SA-4.0 into GPL-3.0).
 */
function judgeShareAlike(model: Known[], code: Known[], use: LicenseUse, findings: Findings): void {
  const reaching = model.filter(({ leaf, terms }) => {
    const scope = effectiveScope(leaf, terms, { blocking: [], reasons: [], obligations: [] }, 'model');
    return scope === 'network' || (scope === 'program' && use.distribute);
  });
  if (reaching.length === 0) return;
  const parts = [...model, ...code];
  const candidates = [...reaching, ...parts.filter((part) => !reaching.includes(part))];
  const carriages = candidates.map((target) => ({
    target,
    fits: parts.filter((part) => part.terms.id !== target.terms.id)
      .map((part) => ({ part, carriage: canCarry(part.terms, target.terms, exceptionFor(part.leaf.exception)) })),
  }));
  const carrier = carriages.find(({ fits }) => fits.every(({ carriage }) => carriage.ok));
  if (carrier === undefined) {
    const first = carriages[0];
    for (const { part, carriage } of first?.fits.filter(({ carriage: c }) => !c.ok) ?? []) {
      findings.blocking.push(`the distributed result must be licensed under ${first?.target.terms.id}, and ${part.terms.id} cannot be: ${carriage.via}`);
    }
    return;
  }
  const id = carrier.target.terms.id;
  findings.reasons.push(...carrier.fits.map(({ part, carriage }) => `${part.terms.id} can be part of a work under ${id}: ${carriage.via}`));
  findings.obligations.push(`${id}: distribute the fine-tuned model, and the code shipped with it, under ${id} (share-alike), with source`);
}

function choiceNotes(role: string, license: NormalizedLicense, choices: LicenseLeaf[][], chosen: string, compatible: boolean): string[] {
  if (choices.length < 2) return [];
  const which = compatible ? 'the most favourable branch is used' : 'no branch is compatible; the closest is shown';
  return [`${role} license ${license.expression} offers a choice (OR); ${which}: ${chosen}`];
}

function confidenceNotes(role: string, license: NormalizedLicense): string[] {
  if (license.confidence === 'exact') return [];
  return [`${role} license read from ${license.source} with confidence "${license.confidence}"${license.note === undefined ? '' : `: ${license.note}`}`];
}

function describe(use: LicenseUse): string {
  return `fine-tuning and inference, ${use.commercial ? 'commercial' : 'non-commercial'} use, result ${use.distribute ? 'distributed' : 'kept private'}`;
}

function side(license: NormalizedLicense, chosen?: string): LicenseSide {
  return {
    ...(license.expression === undefined ? {} : { expression: license.expression }),
    ...(chosen === undefined ? {} : { chosen }),
    source: license.source,
    confidence: license.confidence,
  };
}

function verdict(compatible: boolean, reasons: string[], obligations: string[], use: LicenseUse, model: LicenseSide, code: LicenseSide): LicenseCompatibility {
  return { compatible, reasons, obligations, use, model, code };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
