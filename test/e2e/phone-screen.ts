import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** Where the screenshots of the main screens go, for a person to look at. */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/** Long enough for a loaded machine (the whole suite runs beside this); no wait is a sleep. */
export const UI_TIMEOUT_MS = 20_000;

/**
 * One person's phone in a Chromium tab: the page, what the page complained about (uncaught
 * errors, console errors), and the few moves every story makes. Everything is found by role
 * and accessible name, as a screen reader would find it.
 */
export class PhoneScreen {
  /** Uncaught exceptions and console errors of the page: a healthy phone has none. */
  readonly complaints: string[] = [];

  private constructor(
    readonly who: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.complaints.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.complaints.push(`console: ${message.text()}`);
    });
  }

  /** A tab of its own (own cookies, own storage) on the phone at `url`. */
  static async open(
    browser: Browser,
    who: string,
    url: string,
    options: {
      /** Scripts (files) every page of the tab runs before its own: test instrumentation. */
      initScripts?: string[];
      /** Browser permissions granted to the phone's page (e.g. 'microphone'). */
      permissions?: string[];
    } = {},
  ): Promise<PhoneScreen> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
      permissions: options.permissions,
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    for (const path of options.initScripts ?? []) await context.addInitScript({ path });
    const screen = new PhoneScreen(who, context, await context.newPage());
    await screen.page.goto(url);
    return screen;
  }

  /** The sidebar's list of screens: there once the phone is in a network. */
  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' });
  }

  /** Opens a screen from the sidebar and waits for its heading. */
  async go(label: 'Contacts' | 'Dial pad' | 'History' | 'Network' | 'Identity' | 'Settings'): Promise<void> {
    await this.nav.getByRole('button', { name: label, exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
  }

  /**
   * test-results/screenshots/NAME.png, of what the person sees now: the whole screen, as tall as
   * its content (the phone scrolls inside its main area, so a page screenshot would cut it off).
   */
  async shot(name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const size = this.page.viewportSize() ?? { width: 1280, height: 800 };
    // A string, not a function: this project's TypeScript has no DOM types outside the renderer.
    const content = Number(await this.page.evaluate('document.getElementById("content")?.scrollHeight ?? 0'));
    const height = Math.max(size.height, content);
    if (height > size.height) await this.page.setViewportSize({ width: size.width, height });
    try {
      await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    } finally {
      if (height > size.height) await this.page.setViewportSize(size);
    }
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** The value beside `term` in a description list (dt/dd) inside `scope`. */
export function definition(scope: Locator, term: string): Locator {
  return scope
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]');
}
