/** What a pre-download program decided, and what it printed. */
export interface HookVerdict {
  /** `allowed`: exit 0. `refused`: any other exit, a crash, a timeout or a broken limit. `failed`: it could not be run. */
  readonly outcome: 'allowed' | 'refused' | 'failed';
  /** Why, in words: "exited with 3", "killed after 5000 ms", "used more than 64 MB". */
  readonly reason: string;
  /** Its standard output, capped. */
  readonly output: string;
  readonly exitCode?: number;
  readonly durationMs: number;
}

export interface HookRun {
  /** The program's JavaScript source. */
  readonly source: string;
  /** MODEL_NAME UPLOADER_USERNAME DOWNLOADER_USERNAME, in that order; the package path is added. */
  readonly args: readonly [string, string, string];
  /** The stored package the program may read. */
  readonly package: { readonly sha256: string; readonly size: number };
}

/** Runs an untrusted pre-download program in isolation: no network, no writes, bounded in every way. */
export interface HookRunner {
  run(run: HookRun): Promise<HookVerdict>;
}
