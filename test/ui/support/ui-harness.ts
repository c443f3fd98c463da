import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildWeb } from '../../../web/build.mjs';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream/server';
import { ADMIN, ADMIN_PASSWORD, startTestRegistry, type TestRegistry } from '../../support/test-registry';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-results', 'ui');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LAUNCH_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

let build: Promise<unknown> | undefined;

/** esbuild is fast, but one build per test run is enough; the app looks for web/dist when created. */
const buildOnce = (): Promise<unknown> => (build ??= buildWeb());

export interface UiOptions {
  /** Start the fake Hugging Face and GitHub so the UI can register by URL. */
  readonly upstream?: boolean;
  readonly env?: Record<string, string>;
}

export interface UiHarness {
  readonly registry: TestRegistry;
  readonly fake: FakeUpstream | undefined;
  readonly browser: Browser;
  readonly url: string;
  /** A fresh browser context (its own session storage) with one page. */
  newPage(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** A zip on disk, for the file input. */
  writeTempFile(name: string, content: Buffer): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the UI, starts the real registry (and, when asked, the fake upstream) and Debian's chromium.
 * Without chromium the calling suite is skipped, never passed.
 */
export async function startUi(suite: Mocha.Context, options: UiOptions = {}): Promise<UiHarness> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`      (skipped: ${CHROMIUM} is missing; install Debian's chromium, as .ci/run does, to run the browser tests)`);
    suite.skip();
  }
  suite.timeout(60_000);
  await buildOnce();
  const fake = options.upstream === true ? await startFakeUpstream() : undefined;
  const upstreamEnv: Record<string, string> = fake === undefined ? {} : { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_INGEST_MIN_SCORE: '0' };
  const registry = await startTestRegistry({ env: { ...upstreamEnv, ...options.env } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  const scratch = await mkdtemp(join(tmpdir(), 'tmr-ui-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    registry,
    fake,
    browser,
    url: registry.url,
    newPage: async (contextOptions = {}) => {
      const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, acceptDownloads: true, ...contextOptions });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return { context, page };
    },
    writeTempFile: async (name, content) => {
      const path = join(scratch, name);
      await writeFile(path, content);
      return path;
    },
    close: async () => {
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await browser.close();
      await registry.close();
      await fake?.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, url: string, hash = '#/', name = ADMIN, password = ADMIN_PASSWORD): Promise<void> {
  await page.goto(`${url}/${hash}`);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

export const navLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/** Runs axe with the WCAG 2.1 A and AA rules and fails with every violation listed. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const violations = results.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(violations, `axe on ${where}`).to.deep.equal([]);
  expect(results.passes.length, `axe ran its checks on ${where}`).to.be.greaterThan(10);
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** What has keyboard focus, described as a person would see it. */
export async function focused(page: Page): Promise<{ tag: string; name: string; role: string | null }> {
  return page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element) return { tag: '', name: '', role: null };
    const labelled = element.id ? document.querySelector('label[for="' + element.id + '"]') : null;
    const name = element.getAttribute('aria-label') || (labelled && labelled.textContent) || element.textContent || '';
    return { tag: element.tagName.toLowerCase(), name: name.replace(/\\s+/g, ' ').trim(), role: element.getAttribute('role') };
  })()`);
}

/** Presses Tab until the focused element's name matches, as a keyboard user would; fails after `limit` presses. */
export async function tabTo(page: Page, name: RegExp, limit = 60): Promise<void> {
  const seen: string[] = [];
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const current = await focused(page);
    if (name.test(current.name)) return;
    seen.push(`${current.tag}:${current.name.slice(0, 40)}`);
  }
  expect.fail(`no element named ${name} within ${limit} presses of Tab; focus went through ${seen.join(' | ')}`);
}
