import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../../server/test/helpers/test-app.js';
import { CSV_COLUMNS } from '../src/alert-export.js';
import { axeViolations, launchChromium, login, RUN_CHROMIUM, SCREENSHOTS, settled } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  type DashboardServer,
  ensureBuilt,
  OPERATOR,
  startDashboardServer,
  VIEWER,
} from './support/dashboard-server.js';

const TABS = ['overview', 'performance', 'errors', 'system'] as const;
const DISK_ALERT = 'Disk usage above 85 %';

/** The text of every element matching `selector` inside the tab panel. */
const texts = (page: Page, selector: string) => page.locator(`[role="tabpanel"] ${selector}`).allInnerTexts();

describe.skipIf(!RUN_CHROMIUM)('dashboard in Chromium against a real server filled by the simulator', () => {
  let server: DashboardServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startDashboardServer();
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page = await ctx.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the app with its CSP and falls back to it for client paths, never for the API', async () => {
    const index = await fetch(`${server.url}/`);
    expect([index.status, index.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = await fetch(`${server.url}${script}`);
    expect([asset.status, asset.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const deep = await fetch(`${server.url}/some/client/path`, { headers: { accept: 'text/html' } });
    expect([deep.status, (await deep.text()) === html]).toEqual([200, true]);
    const api = await fetch(`${server.url}/api/v1/nope`, { headers: { accept: 'text/html' } });
    expect([api.status, (await api.json()).error.code]).toEqual([404, 'VIGIL_ERR_NOT_FOUND']);
    expect((await fetch(`${server.url}/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('shows the login page (accessible), refuses a wrong password, and signs in', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong user name or password.').waitFor();
    await login(page, server.url, 'admin', ADMIN_PASSWORD);
    expect(await page.getByTestId('whoami').textContent()).toBe('admin (admin)');
  });

  it('renders every tab with real numbers, in both themes, with 0 axe violations', async () => {
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) blocked.push(m.text());
    });
    for (const theme of ['light', 'dark'] as const) {
      await page.goto(`${server.url}/?tab=overview`);
      await page.getByTestId('theme-select').selectOption(theme);
      for (const tab of TABS) {
        await page.goto(`${server.url}/?tab=${tab}`);
        await settled(page);
        expect(await page.locator('.vigil-theme').getAttribute('data-theme')).toBe(theme);
        expect(await page.getByRole('tab', { selected: true }).textContent()).toBe(
          tab[0]!.toUpperCase() + tab.slice(1),
        );
        await checkNumbers(page, tab);
        expect([tab, theme, await axeViolations(page)]).toEqual([tab, theme, []]);
        await page.screenshot({ path: `${SCREENSHOTS}${tab}-${theme}.png`, fullPage: true });
      }
    }
    expect(blocked).toEqual([]);
  });

  it('moves between tabs with the arrow keys and keeps the tab in the URL', async () => {
    await page.goto(`${server.url}/?tab=overview`);
    await page.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(new URL(page.url()).searchParams.get('tab')).toBe('performance');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Performance');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(new URL(page.url()).searchParams.get('tab')).toBe('system');
    await page.keyboard.press('Home');
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('Overview');
    await page.goBack();
    expect(await page.getByRole('tab', { selected: true }).textContent()).toBe('System');
  });

  it('shows an alert that fires during the test live, and an acknowledgement updates it on every open page', async () => {
    const other = await ctx.newPage();
    await other.goto(`${server.url}/?tab=overview`);
    await page.goto(`${server.url}/?tab=overview`);
    for (const p of [page, other]) await p.getByText('Live stream: connected').waitFor();
    expect(await page.locator('[data-testid="alert-list"] li', { hasText: DISK_ALERT }).count()).toBe(0);

    await server.breachDisk();
    const item = page.locator('[data-testid="alert-list"] li', { hasText: DISK_ALERT });
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('firing');
    await page.locator('[data-testid="active-alerts"] li', { hasText: DISK_ALERT }).waitFor();

    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('[data-testid="alert-list"] li[data-state="acknowledged"]', { hasText: DISK_ALERT }).waitFor();
    await other.locator('[data-testid="alert-list"] li[data-state="acknowledged"]', { hasText: DISK_ALERT }).waitFor();
    await other.locator('[data-testid="active-alerts"] li', { hasText: `${DISK_ALERT} acknowledged` }).waitFor();
    const stored = (
      await server.vigil.store.alerts.listAlerts({
        project: 'learning-portal',
        from: 0,
        to: Date.now() + 1,
        limit: 100,
      })
    )
      .filter((a) => a.title === DISK_ALERT)
      .map((a) => [a.status, a.acknowledgedBy]);
    expect(stored).toEqual([['firing', 'user:admin']]);

    const note = page.locator('[data-testid="alert-list"] li', { hasText: DISK_ALERT });
    await note.getByRole('button', { name: 'Add note' }).click();
    await note.getByLabel(`Note on “${DISK_ALERT}”`).fill('disk cleanup started');
    await note.getByRole('button', { name: 'Save note' }).click();
    await note.getByRole('button', { name: 'Add note' }).waitFor();
    await other.close();
  });

  it('exports the filtered list as JSON and CSV files that parse', async () => {
    await page.getByTestId('filter-state').selectOption('');
    const shown = await page.locator('[data-testid="alert-list"] > li').count();
    expect(shown).toBeGreaterThan(0);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const parsed = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    expect([parsed.count, parsed.alerts.length]).toEqual([shown, shown]);
    expect(parsed.alerts.some((a: { title: string }) => a.title === DISK_ALERT)).toBe(true);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    expect([lines[0], lines.length]).toEqual([CSV_COLUMNS.join(','), shown + 1]);
    expect(lines.some((l) => l.includes(DISK_ALERT))).toBe(true);
    await page.getByTestId('filter-severity').selectOption('low');
    const low = await page.locator('[data-testid="alert-list"] > li').count();
    const [lowJson] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(
      JSON.parse(readFileSync((await lowJson.path())!, 'utf8')).alerts.every(
        (a: { severity: string }) => a.severity === 'low',
      ),
    ).toBe(true);
    expect(JSON.parse(readFileSync((await lowJson.path())!, 'utf8')).count).toBe(low);
  });

  it('lets an admin disable and enable a rule and change retention', async () => {
    await page.goto(`${server.url}/?tab=overview`);
    const row = page.locator('[data-rule="cpu-high"]');
    await row.getByRole('button', { name: 'Disable CPU usage above 80 %' }).click();
    await row.getByRole('button', { name: 'Enable CPU usage above 80 %' }).waitFor();
    expect(server.vigil.alerting.engine.rules.get('cpu-high')?.enabled).toBe(false);
    await row.getByRole('button', { name: 'Enable CPU usage above 80 %' }).click();
    await row.getByRole('button', { name: 'Disable CPU usage above 80 %' }).waitFor();
    expect(server.vigil.alerting.engine.rules.get('cpu-high')?.enabled).toBe(true);
    await page.getByLabel(/Detailed data, days/).fill('30');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Retention saved.').waitFor();
    const res = await server.vigil.app.inject({
      url: '/api/v1/retention',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.json().detailedDays).toBe(30);
  });

  it('remembers the theme override and follows the system otherwise', async () => {
    await page.goto(`${server.url}/?tab=overview`);
    await page.getByTestId('theme-select').selectOption('dark');
    await page.reload();
    expect(await page.locator('.vigil-theme').getAttribute('data-theme')).toBe('dark');
    await page.getByTestId('theme-select').selectOption('system');
    expect(await page.locator('.vigil-theme').getAttribute('data-theme')).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('.vigil-theme[data-theme="dark"]').waitFor();
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('fits a phone screen without horizontal scrolling', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    await login(p, server.url, OPERATOR.name, OPERATOR.password);
    for (const tab of TABS) {
      await p.goto(`${server.url}/?tab=${tab}`);
      await settled(p);
      const overflow = await p.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect([tab, overflow]).toEqual([tab, 0]);
      await p.screenshot({ path: `${SCREENSHOTS}${tab}-phone.png`, fullPage: true });
    }
    await phone.close();
  });

  it('shows a viewer the alerts but no action buttons', async () => {
    const viewerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await viewerCtx.newPage();
    await login(p, server.url, VIEWER.name, VIEWER.password);
    expect(await p.getByTestId('whoami').textContent()).toBe('victor (viewer)');
    await p.locator('[data-testid="alert-list"] li', { hasText: DISK_ALERT }).waitFor();
    expect(await p.locator('[data-testid="alert-list"] .actions').count()).toBe(0);
    expect(await p.getByRole('heading', { name: 'Administration' }).count()).toBe(0);
    for (const name of ['Acknowledge', 'Dismiss', 'Reopen', 'Open incident', 'Add note']) {
      expect([name, await p.getByRole('button', { name }).count()]).toEqual([name, 0]);
    }
    expect(await axeViolations(p)).toEqual([]);
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    expect((await p.request.get(`${server.url}/api/v1/alerts`)).status()).toBe(401);
    await viewerCtx.close();
  });
});

/** Each tab's panels show numbers computed from the simulated traffic, not placeholders. */
async function checkNumbers(page: Page, tab: (typeof TABS)[number]): Promise<void> {
  const number = /\d/;
  if (tab === 'overview') {
    expect(await page.getByTestId('score').textContent()).toMatch(/^\d+ \/ 100$/);
    expect(await texts(page, '[data-kpi="availability"] .kpi-value')).toEqual([
      expect.stringMatching(/^\d+(\.\d+)? %$/),
    ]);
    expect(await texts(page, '[data-kpi="p95ResponseMillis"] .kpi-value')).toEqual([
      expect.stringMatching(/^\d[\d,.]* ms$/),
    ]);
    expect(await texts(page, '[data-service="vigil-self"]')).toEqual([expect.stringContaining('vigil-self: up')]);
  } else if (tab === 'performance') {
    const rows = await texts(page, '[data-panel="Response time by phase"] tbody tr');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.find((r) => r.startsWith('api'))).toMatch(/ms/);
    expect(await texts(page, '[data-panel="Response time (P50/P95/P99)"] figcaption')).toEqual([
      expect.stringMatching(/P95: latest \d/),
    ]);
    expect(await texts(page, '[data-panel="CPU and memory"] figcaption')).toEqual([
      expect.stringMatching(/CPU: latest \d.*Memory: latest \d/),
    ]);
  } else if (tab === 'errors') {
    const summary = await texts(page, '[data-testid="error-summary"] dd');
    expect(Number(summary[0]?.replace(/,/g, ''))).toBeGreaterThan(0);
    const top = page.locator('[data-testid="top-errors"] tbody tr');
    expect(await top.count()).toBeGreaterThan(0);
    await top.first().getByRole('button').click();
    await page.locator('[data-testid="error-group-detail"] .samples li').first().waitFor();
    expect(await page.locator('[data-testid="error-group-detail"] dd').first().textContent()).toMatch(number);
  } else {
    expect(await texts(page, '[data-gauge="disk.percent"] .kpi-value')).toEqual([
      expect.stringMatching(/^\d[\d.]* %$/),
    ]);
    const service = await texts(page, '[data-testid="service-table"] tbody tr');
    expect(service).toEqual([expect.stringMatching(/vigil-self.*up.*100 %/s)]);
    await page.getByTestId('service-table').getByRole('button', { name: 'vigil-self', exact: true }).click();
    await page.locator('[data-panel="History of vigil-self"] figcaption').waitFor();
  }
}
