import type Database from 'better-sqlite3';
import type { RequiredLiterals } from '../../../domain/search/required-literals';
import type { SearchableText, TextIndex } from '../../../ports/artifact-repository.port';

/** Bounds the query text: past this many trigrams per branch the rest narrow little. */
const MAX_TRIGRAMS_PER_BRANCH = 64;

/**
 * Names and card texts in an FTS5 trigram index (schema in local-database.ts). Writes happen inside
 * the repository's transactions, so the index never disagrees with the records.
 */
export class TrigramTextIndex implements TextIndex {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      rowOf: db.prepare<[string], { n: number }>('SELECT n FROM artifact_search_ids WHERE id = ?'),
      addId: db.prepare<[string]>('INSERT INTO artifact_search_ids (id) VALUES (?)'),
      deleteText: db.prepare<[number]>('DELETE FROM artifact_search WHERE rowid = ?'),
      deleteId: db.prepare<[number]>('DELETE FROM artifact_search_ids WHERE n = ?'),
      addText: db.prepare<[number, string, string]>('INSERT INTO artifact_search (rowid, name, card_text) VALUES (?, ?, ?)'),
      candidates: db.prepare<[string, string, number], { id: string }>(
        'SELECT i.id FROM artifact_search s JOIN artifact_search_ids i ON i.n = s.rowid WHERE artifact_search MATCH ? AND i.id > ? ORDER BY i.id LIMIT ?',
      ),
      texts: db.prepare<[string], SearchableText>(
        'SELECT id, name, type, card_text AS cardText FROM artifacts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id',
      ),
      clearTexts: db.prepare('DELETE FROM artifact_search'),
      clearIds: db.prepare('DELETE FROM artifact_search_ids'),
    };
  }

  put(id: string, name: string, cardText: string): void {
    const existing = this.statements.rowOf.get(id)?.n;
    if (existing !== undefined) this.statements.deleteText.run(existing);
    const n = existing ?? Number(this.statements.addId.run(id).lastInsertRowid);
    this.statements.addText.run(n, name, cardText);
  }

  remove(id: string): void {
    const n = this.statements.rowOf.get(id)?.n;
    if (n === undefined) return;
    this.statements.deleteText.run(n);
    this.statements.deleteId.run(n);
  }

  clear(): void {
    this.statements.clearTexts.run();
    this.statements.clearIds.run();
  }

  async candidates(literals: RequiredLiterals, after: string | undefined, limit: number): Promise<string[]> {
    return this.statements.candidates.all(matchQuery(literals), after ?? '', limit).map((row) => row.id);
  }

  async texts(ids: readonly string[]): Promise<SearchableText[]> {
    return ids.length === 0 ? [] : this.statements.texts.all(JSON.stringify(ids));
  }
}

/**
 * An FTS5 query for "every literal of some branch". With `detail=none` there are no phrase queries,
 * so a literal becomes the AND of its trigrams: a looser filter (the trigrams may sit apart), which
 * RE2 then tightens.
 */
export function matchQuery(literals: RequiredLiterals): string {
  return literals.map((branch) => {
    const trigrams = new Set<string>();
    for (const literal of branch) {
      const chars = [...literal];
      for (let i = 0; i + 3 <= chars.length; i += 1) trigrams.add(chars.slice(i, i + 3).join(''));
    }
    const terms = [...trigrams].slice(0, MAX_TRIGRAMS_PER_BRANCH).map((trigram) => `"${trigram.replace(/"/g, '""')}"`);
    return `(${terms.join(' AND ')})`;
  }).join(' OR ');
}
