/**
 * popup-import: a large HAR (300 MiB by default, written to the temp folder, deleted after)
 * imported in the popup, while keys are pressed in it every 50 ms: how long each key press
 * waited before the popup's handler ran (`performance.now() - event.timeStamp`), side by side
 * with the same presses in the idle popup, and the main thread's long tasks while it read.
 * Target (issue 14): the view keeps answering, input handled within 100 ms, while it reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { buildTestExtension, launchWithExtension, openPopup } from '../../test/support/harness.js';
import { writeLargeHar } from '../../test/support/large-har.js';
import { percentile, stats } from '../lib/stats.mjs';

export const INPUT_TARGET_MS = 100;
const PRESS_EVERY_MS = 50;
const MIB = 1024 * 1024;

interface Probe {
  waits: number[];
  /** Long tasks: when they started and how long they took (ms). */
  longTasks: { start: number; duration: number }[];
  /** When the progress line first showed, and when the imported file's view did. */
  progressAt: number | null;
  shownAt: number | null;
}

/** Records, in the popup, each key press's wait, every long task, and when the import's progress and result showed. */
async function instrument(popup: Page): Promise<void> {
  await popup.evaluate(() => {
    const probe: Probe = { waits: [], longTasks: [], progressAt: null, shownAt: null };
    (globalThis as unknown as { probe: Probe }).probe = probe;
    document.addEventListener('keydown', (event) => probe.waits.push(performance.now() - event.timeStamp));
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
    new MutationObserver(() => {
      if (probe.progressAt === null && document.querySelector('.import-progress')) probe.progressAt = performance.now();
      if (probe.shownAt === null && document.querySelector('.site')?.textContent?.startsWith('Imported')) probe.shownAt = performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const takeProbe = (popup: Page) =>
  popup.evaluate(() => {
    const probe = (globalThis as unknown as { probe: Probe }).probe;
    const taken = { ...probe, waits: [...probe.waits], longTasks: [...probe.longTasks] };
    probe.waits.length = 0;
    probe.longTasks.length = 0;
    return taken;
  });

/** Long tasks by phase: before the progress showed (starting the import), while reading, and once the result arrived (showing it). */
function phases(taken: Awaited<ReturnType<typeof takeProbe>>) {
  const starting: number[] = [];
  const reading: number[] = [];
  const showing: number[] = [];
  for (const task of taken.longTasks) {
    const end = task.start + task.duration;
    if (taken.progressAt !== null && end <= taken.progressAt) starting.push(task.duration);
    else if (taken.shownAt !== null && end >= taken.shownAt - 1) showing.push(task.duration);
    else reading.push(task.duration);
  }
  return { starting, reading, showing };
}

/** Presses a key every PRESS_EVERY_MS until `done()` says stop (or `count` presses when given). */
async function pressUntil(popup: Page, done: () => Promise<boolean>, count = Number.POSITIVE_INFINITY): Promise<number> {
  let presses = 0;
  while (presses < count && !(await done())) {
    await popup.keyboard.press('Shift');
    presses++;
    await popup.waitForTimeout(PRESS_EVERY_MS);
  }
  return presses;
}

const summary = (values: number[]) =>
  values.length ? { count: values.length, ...stats(values), p95: percentile(values, 95) } : { count: 0, median: 0, min: 0, max: 0, p95: 0 };

export async function benchPopupImport({ mb = 300, log = console.log }: { mb?: number; log?: (line: string) => void } = {}) {
  buildTestExtension();
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-import-bench-'));
  const file = join(dir, 'large.har');
  const { exchanges } = writeLargeHar(file, mb * MIB);
  log(`bench: wrote ${file} (${mb} MiB, ${exchanges} token exchanges)`);
  const { context, extensionId } = await launchWithExtension();
  try {
    const popup = await openPopup(context, extensionId, 0);
    await popup.locator('footer').waitFor();
    await instrument(popup);
    await pressUntil(popup, async () => false, 40);
    const idle = await takeProbe(popup);

    const started = Date.now();
    await popup.locator('input[type=file]').setInputFiles(file);
    const imported = popup.locator('.site', { hasText: 'Imported: large.har' });
    const presses = await pressUntil(popup, async () => (await imported.count()) > 0);
    const readMs = Date.now() - started;
    const reading = await takeProbe(popup);
    const shown = await popup.locator('p.summary').first().textContent();
    if (!shown?.includes(`${exchanges} exchanges`)) throw new Error(`bench: the popup shows "${shown}", expected ${exchanges} exchanges`);
    log(`bench: imported in ${readMs} ms with ${presses} key presses`);
    const during = summary(reading.waits);
    const tasks = phases(reading);
    return {
      name: 'popup-import',
      input: { mib: mb, exchanges },
      readMs,
      pressEveryMs: PRESS_EVERY_MS,
      idle: { waits: summary(idle.waits), longTasks: summary(idle.longTasks.map((task) => task.duration)) },
      reading: {
        waits: during,
        longTasks: { starting: summary(tasks.starting), reading: summary(tasks.reading), showing: summary(tasks.showing) },
      },
      target: { inputMs: INPUT_TARGET_MS },
      // While it reads: no key press waited longer than the target, and no long task could have made one.
      pass: { input: during.count > 0 && during.max <= INPUT_TARGET_MS && tasks.reading.every((ms) => ms <= INPUT_TARGET_MS) },
    };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatPopupImport(result: Awaited<ReturnType<typeof benchPopupImport>>): string {
  const row = (label: string, s: ReturnType<typeof summary>) =>
    `  ${label.padEnd(30)} ${String(s.count).padStart(5)} presses   median ${s.median.toFixed(1)} ms   p95 ${s.p95.toFixed(1)} ms   max ${s.max.toFixed(1)} ms`;
  return [
    `Importing a ${result.input.mib} MiB HAR in the popup (${result.input.exchanges} token exchanges): key presses every ${result.pressEveryMs} ms, wait before the handler ran`,
    row('idle popup', result.idle.waits),
    row('while the HAR is read', result.reading.waits),
    `  long tasks on the popup's main thread: starting the import ${result.reading.longTasks.starting.count} (longest ${result.reading.longTasks.starting.max.toFixed(0)} ms), while reading ${result.reading.longTasks.reading.count} (longest ${result.reading.longTasks.reading.max.toFixed(0)} ms), showing the result ${result.reading.longTasks.showing.count} (longest ${result.reading.longTasks.showing.max.toFixed(0)} ms)`,
    `  read and shown in ${result.readMs} ms; input handled within ${result.target.inputMs} ms throughout: ${result.pass.input ? 'PASS' : 'MISS'}`,
  ].join('\n');
}
