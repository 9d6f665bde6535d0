import type { Reporter, TestModule } from 'vitest/node';

/**
 * Says loudly, after vitest's summary, which tests did not run because something on this machine is missing
 * (headless Chromium, a Playground that cannot start): a skipped count alone is easy to miss. Tests skip with
 * `ctx.skip(note)`, and the note says what is missing and how to install it.
 */
export default class PrerequisitesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byNote = new Map<string, Set<string>>();
    for (const mod of testModules) {
      for (const test of mod.children.allTests('skipped')) {
        const result = test.result();
        const note = result.state === 'skipped' ? result.note : undefined;
        if (!note) continue;
        const files = byNote.get(note) ?? new Set<string>();
        files.add(mod.relativeModuleId);
        byNote.set(note, files);
      }
    }
    if (byNote.size === 0) return;
    const yellow = (s: string) => (process.stdout.isTTY ? `\x1b[1;33m${s}\x1b[0m` : s);
    const lines = ['', yellow('!!! SOME TESTS DID NOT RUN: a prerequisite is missing on this machine')];
    for (const [note, files] of byNote) lines.push(yellow(`!!!   ${[...files].join(', ')}: ${note}`));
    lines.push('');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
