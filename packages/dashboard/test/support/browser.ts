import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium; `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';

/** The e2e suite runs under `CI=true` always (a missing browser fails), elsewhere when chromium exists. */
export const RUN_CHROMIUM = process.env.CI === 'true' || existsSync(CHROMIUM);

/** Where the e2e run saves its screenshots (gitignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../../../artifacts/screenshots/', import.meta.url));

/**
 * Headless Debian Chromium with the flags the sandbox-less CI needs.
 *
 * @example
 * const browser = await launchChromium();
 */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** axe-core's WCAG 2.0 A/AA and 2.1 AA violations on the page, as `rule: target` lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
  );
}

/** Signs in through the login page. */
export async function login(page: Page, url: string, name: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tablist', { name: 'Dashboard sections' }).waitFor();
}

/** Waits until the current tab panel has no panel still loading. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const panel = document.querySelector('[role="tabpanel"]');
    return (
      panel !== null && panel.querySelectorAll('.loading').length === 0 && panel.querySelectorAll('.panel').length > 0
    );
  });
}
