/** Where `buildWeb()` writes by default: web/dist, the folder the HTTP app serves. */
export declare const WEB_DIST: string;

/** Bundles web/src into `outdir` (default web/dist) with its index.html; resolves when written. No source maps unless `sourcemap`. */
export declare function buildWeb(options?: { outdir?: string; minify?: boolean; sourcemap?: boolean }): Promise<{ outdir: string; files: string[] }>;
