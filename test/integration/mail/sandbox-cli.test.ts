import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../bot/src/sandbox/cli.js';
import type { GraphEmulator } from '../../../bot/src/sandbox/graph-emulator/index.js';
import { emulator } from './graph-test-kit.js';

describe('npm run sandbox:email', () => {
  let emu: GraphEmulator;
  let out: string[];
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    emu = await emulator();
    env = { SANDBOX_GRAPH_PORT: new URL(emu.url).port };
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await emu.close();
  });

  const send = (...args: string[]) =>
    main(['email', '--to', 'support@contoso.com', '--from', 'ana@fabrikam.com', ...args], env);

  it('delivers a mail and says what to do next', async () => {
    expect(
      await send('--subject', 'Order 1042 is late', '--from-name', 'Ana Trujillo', '--cc', 'sales@contoso.com'),
    ).toBe(0);
    expect(emu.state.messages.map((m) => m.subject)).toEqual(['Order 1042 is late', 'Order 1042 is late']);
    expect(emu.state.messages[0]?.from).toEqual({ name: 'Ana Trujillo', address: 'ana@fabrikam.com' });
    expect(out.join('\n')).toContain('support@contoso.com → Inbox');
    expect(out.join('\n')).toContain('/watch support@contoso.com');
  });

  it('--reply joins the conversation of the last mail with that subject', async () => {
    await send('--subject', 'Order 1042 is late');
    expect(await send('--subject', 'Order 1042 is late', '--reply')).toBe(0);
    const [first, reply] = emu.state.messages;
    expect(reply?.subject).toBe('Re: Order 1042 is late');
    expect(reply?.conversationId).toBe(first?.conversationId);
  });

  it('explains a missing option, and a mailbox the sandbox does not have', async () => {
    expect(await main(['email', '--to', 'support@contoso.com'], env)).toBe(2);
    expect(out.join('\n')).toContain('--from and --subject are required');
    expect(await main(['email', '--to', 'nobody@nowhere.example', '--from', 'a@b.c', '--subject', 's'], env)).toBe(1);
    expect(out.join('\n')).toContain('No sandbox mailbox among the recipients');
  });

  it('--folder files the mail into a subfolder', async () => {
    await send('--subject', 'Filed by a rule', '--folder', 'Orders');
    expect(out.join('\n')).toContain('→ Orders');
  });

  it("--attach delivers the files as the mail's attachments, read back through Graph", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mailroom-attach-'));
    const pdf = join(dir, 'invoice-1042.pdf');
    const txt = join(dir, 'notes.txt');
    await writeFile(pdf, Buffer.from('%PDF-1.4 sandbox invoice'));
    await writeFile(txt, 'Call Ana back');
    expect(await send('--subject', 'Invoice attached', '--attach', pdf, '--attach', txt)).toBe(0);
    const [copy] = emu.state.messages;
    expect(copy?.attachments.map((a) => [a.name, a.contentType, a.size])).toEqual([
      ['invoice-1042.pdf', 'application/pdf', 24],
      ['notes.txt', 'text/plain', 13],
    ]);
    expect(Buffer.from(copy?.attachments[1]?.contentBytes ?? '', 'base64').toString()).toBe('Call Ana back');
    expect(out.join('\n')).toContain('with invoice-1042.pdf, notes.txt');
  });

  it('--attach of a missing or too large file delivers nothing and says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mailroom-attach-'));
    expect(await send('--subject', 's', '--attach', join(dir, 'nope.pdf'))).toBe(1);
    expect(out.join('\n')).toContain('nope.pdf: there is no such file');
    const big = join(dir, 'big.bin');
    await writeFile(big, Buffer.alloc(701 * 1024));
    expect(await send('--subject', 's', '--attach', big)).toBe(1);
    expect(out.join('\n')).toContain('at most 700 KB');
    expect(emu.state.messages).toHaveLength(0);
  });

  it('says how to start the sandbox when it is not running', async () => {
    await emu.close();
    emu = await emulator();
    expect(
      await main(['email', '--to', 'a@b.c', '--from', 'd@e.f', '--subject', 's'], { SANDBOX_GRAPH_PORT: '1' }),
    ).toBe(1);
  });
});
