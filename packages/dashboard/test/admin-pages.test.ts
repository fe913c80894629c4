import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, batch } from '../../server/test/helpers/test-app.js';
import { axeViolations, launchChromium, login, RUN_CHROMIUM, SCREENSHOTS } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  type DashboardServer,
  ensureBuilt,
  OPERATOR,
  startDashboardServer,
} from './support/dashboard-server.js';

const CPU_RULE = 'CPU usage above 80 %';

describe.skipIf(!RUN_CHROMIUM)('admin pages in Chromium against a real server', () => {
  let server: DashboardServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;

  /** An admin API call through the server, as the lead's checks see it (not through the page). */
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, auth = ADMIN_TOKEN) =>
    server.vigil.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${auth}` },
      ...(payload === undefined ? {} : { payload }),
    });
  const admin = () => page.getByTestId('admin-section');

  beforeAll(async () => {
    await ensureBuilt();
    server = await startDashboardServer();
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    page = await ctx.newPage();
    await login(page, server.url, 'admin', ADMIN_PASSWORD);
    await admin().getByRole('heading', { name: 'Administration' }).waitFor();
    await admin().locator('[data-rule="cpu-high"]').waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a user with a role, changes the role and disables them', async () => {
    const form = admin().getByTestId('user-create');
    await form.getByLabel('User name').fill('nina');
    await form.getByLabel('Role').selectOption('operator');
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByText(/^User nina added as operator\. Their password, shown only now: \S{12,}$/).waitFor();
    const row = admin().locator('[data-user="nina"]');
    await row.getByLabel('Role of nina').selectOption('viewer');
    await admin().getByText('nina is now viewer.').waitFor();
    await row.getByRole('button', { name: 'Disable nina' }).click();
    await row.getByRole('button', { name: 'Enable nina' }).waitFor();
    const users = (await api('GET', '/api/v1/users')).json().users as {
      name: string;
      role: string;
      disabled: boolean;
    }[];
    expect(users.find((u) => u.name === 'nina')).toMatchObject({ role: 'viewer', disabled: true });
  });

  it('refuses a duplicate user name with an announced error', async () => {
    const form = admin().getByTestId('user-create');
    await form.getByLabel('User name').fill('nina');
    await form.getByRole('button', { name: 'Add user' }).click();
    const error = form.getByRole('alert');
    await error.getByText(/^User not added: /).waitFor();
    expect(await form.getByLabel('User name').getAttribute('aria-describedby')).toBe('user-create-error');
  });

  it('creates an ingest key shown once, which works until it is revoked by keyboard', async () => {
    const form = admin().getByTestId('key-create');
    await form.getByLabel('Project').fill('portal');
    await form.getByLabel('Label').fill('ci-e2e');
    await form.getByRole('button', { name: 'Create key' }).click();
    const shown = admin().getByLabel(/New key “ci-e2e” for portal: copy it now/);
    await shown.waitFor();
    const key = await shown.inputValue();
    expect(key).toMatch(/^vk_/);
    const event = { type: 'gauge', ts: Date.now(), name: 'cpu.percent', value: 12, unit: 'percent' };
    expect((await api('POST', '/api/v1/events', batch([event]), key)).statusCode).toBe(202);
    await admin().getByRole('button', { name: 'I have copied it' }).click();
    expect(await admin().getByTestId('new-key').count()).toBe(0);

    const row = admin().locator('[data-key="ci-e2e"]');
    await row.getByRole('button', { name: 'Revoke key ci-e2e' }).focus();
    await page.keyboard.press('Enter');
    // The confirm button takes the focus, so a second Enter confirms.
    await row.getByRole('button', { name: 'Confirm: Revoke key ci-e2e' }).waitFor();
    await page.keyboard.press('Enter');
    await row.getByText(/^revoked /).waitFor();
    expect((await api('POST', '/api/v1/events', batch([event]), key)).statusCode).toBe(401);
  });

  it("edits a rule's threshold, severity and for-duration", async () => {
    const row = admin().locator('[data-rule="cpu-high"]');
    await row.getByRole('button', { name: `Edit ${CPU_RULE}` }).click();
    const form = admin().getByRole('form', { name: `Edit ${CPU_RULE}` });
    await form.getByLabel('Threshold (>)').fill('85');
    await form.getByLabel('Severity').selectOption('critical');
    await form.getByLabel('Holds for, seconds').fill('120');
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Save rule' }).click();
    await admin().getByText(`Rule “${CPU_RULE}” saved.`).waitFor();
    await row.getByText('> 85 for 120 s').waitFor();
    const rule = server.vigil.alerting.engine.rules.get('cpu-high');
    expect([rule?.threshold, rule?.severity, rule?.forMillis, rule?.enabled]).toEqual([85, 'critical', 120_000, true]);
  });

  it('adds and deletes a health check', async () => {
    const form = admin().getByTestId('check-create');
    await form.getByLabel('Check name').fill('cache');
    await form.getByLabel('Kind').selectOption('tcp');
    await form.getByLabel('Target').fill('127.0.0.1:6379');
    await form.getByRole('button', { name: 'Add check' }).click();
    const row = admin().locator('[data-check="cache"]');
    await row.waitFor();
    expect((await server.vigil.store.listHealthChecks()).map((c) => c.name).sort()).toEqual(['cache', 'vigil-self']);
    await row.getByRole('button', { name: 'Delete check cache' }).click();
    await row.getByRole('button', { name: 'Confirm: Delete check cache' }).click();
    await admin().getByText('Health check cache deleted.').waitFor();
    expect((await server.vigil.store.listHealthChecks()).map((c) => c.name)).toEqual(['vigil-self']);
  });

  it('edits a channel without ever showing its secret, and asks for it again', async () => {
    const secret = 'hook-secret-for-e2e-0001';
    const hook = { type: 'webhook', url: 'https://hooks.example.com/a', secret, format: 'vigil' };
    expect((await api('PUT', '/api/v1/channels/ops-hook', hook)).statusCode).toBe(200);
    await page.reload();
    const form = admin().getByRole('form', { name: 'Channel ops-hook (webhook)' });
    await form.waitFor();
    const secretField = form.getByLabel('Signing secret (set, hidden)');
    expect([await secretField.inputValue(), await secretField.getAttribute('type')]).toEqual(['', 'password']);
    expect(await page.content()).not.toContain(secret);
    await form.getByLabel('URL').fill('https://hooks.example.com/b');
    await form.getByRole('button', { name: 'Save channel ops-hook' }).click();
    await form
      .getByRole('alert')
      .getByText(/^Type the secret again or choose to remove it/)
      .waitFor();
    await secretField.fill(secret);
    await form.getByRole('button', { name: 'Save channel ops-hook' }).click();
    await form.getByText('Channel ops-hook saved.').waitFor();
    expect(server.vigil.alerting.engine.channelConfigs.get('ops-hook')).toEqual({
      name: 'ops-hook',
      ...hook,
      url: 'https://hooks.example.com/b',
    });
  });

  it('has 0 axe violations on the admin section in both themes', async () => {
    for (const theme of ['light', 'dark'] as const) {
      await page.getByTestId('theme-select').selectOption(theme);
      await page.locator(`.vigil-theme[data-theme="${theme}"]`).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await admin().screenshot({ path: `${SCREENSHOTS}admin-${theme}.png` });
    }
  });

  it('shows no admin section to an operator', async () => {
    const other = await browser.newContext();
    const p = await other.newPage();
    await login(p, server.url, OPERATOR.name, OPERATOR.password);
    expect(await p.getByRole('heading', { name: 'Administration' }).count()).toBe(0);
    await other.close();
  });
});
