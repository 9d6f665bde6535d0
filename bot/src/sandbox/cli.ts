import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';

/** What the Graph emulator's sandbox route reads in one request (1 MB), less base64's growth and the JSON around. */
const MAX_ATTACH_BYTES = 700 * 1024;

/** Content types of the files people attach most; anything else goes as application/octet-stream. */
const CONTENT_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * `npm run sandbox:email -- --to support@contoso.com --from ana@fabrikam.com --subject "Order 1042 is late"`
 * delivers a mail through the running sandbox's Graph emulator, which notifies Mailroom as Graph would.
 * `npm run sandbox:netsuite -- --fail-next` makes the running sandbox's NetSuite refuse the next save once.
 */
const USAGE = `Usage: npm run sandbox:email -- --to <mailbox> --from <address> --subject <text>
  [--from-name <name>] [--body <text>] [--cc a@x,b@y] [--reply] [--folder <folder>] [--attach <file>]...

  --reply   makes it a reply to the last mail in that mailbox with this subject (same conversation)
  --folder  where the mail lands: Inbox (the default), Inbox/Escalations, Orders (beside the Inbox, as a rule
            files mail), Archive, or sent for outgoing mail
  --attach  attaches a file (repeat for several; ${Math.floor(MAX_ATTACH_BYTES / 1024)} KB in all at most)

       npm run sandbox:netsuite -- --fail-next

  --fail-next  the sandbox NetSuite refuses the next save once (the card shows the failure and a Retry button)`;

interface Listed {
  internetMessageId: string;
  subject: string;
}

function normalize(subject: string): string {
  return subject
    .replace(/^((re|fw|fwd)\s*:\s*)+/i, '')
    .trim()
    .toLowerCase();
}

async function call(base: string, path: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(`${base}${path}`, init);
  } catch {
    throw new Error(
      `The sandbox is not running at ${base}: start it with npm start (in another terminal), then try again.`,
    );
  }
}

/** Runs the CLI; returns the exit code. Problems are printed, never thrown. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    return await run(argv, env);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      from: { type: 'string' },
      'from-name': { type: 'string' },
      subject: { type: 'string' },
      body: { type: 'string' },
      cc: { type: 'string' },
      reply: { type: 'boolean', default: false },
      folder: { type: 'string' },
      attach: { type: 'string', multiple: true },
      'fail-next': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || (positionals[0] !== undefined && positionals[0] !== 'email' && positionals[0] !== 'netsuite')) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals[0] === 'netsuite') return netsuite(values['fail-next'], env);
  if (!values.to || !values.from || values.subject === undefined) {
    console.error(`--to, --from and --subject are required.\n\n${USAGE}`);
    return 2;
  }
  const attachments = await readAttachments(values.attach ?? []);
  if (typeof attachments === 'string') {
    console.error(attachments);
    return 1;
  }
  const base = `http://127.0.0.1:${env.SANDBOX_GRAPH_PORT ?? '3979'}`;
  let subject = values.subject;
  let inReplyTo: string | undefined;
  if (values.reply) {
    const res = await call(base, `/_sandbox/messages?mailbox=${encodeURIComponent(values.to)}`);
    const { value } = (await res.json()) as { value: Listed[] };
    const parent = value.filter((m) => normalize(m.subject) === normalize(subject)).pop();
    if (!parent) {
      console.error(
        `No earlier mail in ${values.to} with the subject "${subject}" to reply to. Send it without --reply first.`,
      );
      return 1;
    }
    inReplyTo = parent.internetMessageId;
    if (!/^re:/i.test(subject)) subject = `Re: ${subject}`;
  }
  const mail = {
    to: values.to,
    from: values.from,
    subject,
    ...(values['from-name'] ? { fromName: values['from-name'] } : {}),
    ...(values.body ? { body: values.body } : {}),
    ...(values.cc ? { cc: values.cc.split(',').map((s) => s.trim()) } : {}),
    ...(values.folder ? { folder: values.folder } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
  const res = await call(base, '/_sandbox/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(mail),
  });
  const json = (await res.json()) as {
    error?: string;
    delivered?: Array<{ mailbox: string; folder: string; notified: number }>;
  };
  if (!res.ok || !json.delivered) {
    console.error(`The sandbox refused the mail: ${json.error ?? res.status}`);
    return 1;
  }
  const attached = attachments.length > 0 ? ` with ${attachments.map((a) => a.name).join(', ')}` : '';
  console.log(`Delivered "${subject}" from ${values.from}${attached}:`);
  for (const d of json.delivered) {
    const note = d.notified > 0 ? `Mailroom notified (${d.notified} subscription)` : 'no subscription: not watched yet';
    console.log(`  • ${d.mailbox} → ${d.folder} (${note})`);
  }
  const watched = json.delivered.some((d) => d.notified > 0);
  console.log(
    watched
      ? inReplyTo
        ? 'Look for the reply in the same channel thread as the first mail, within a few seconds.'
        : 'Look for a new card in the channel that watches this mailbox, within a few seconds.'
      : `Nothing will show yet: in a channel, send "@Mailroom /watch ${values.to}" first, then deliver again.`,
  );
  return 0;
}

/** The files to attach, read and encoded; or why not, in words. */
async function readAttachments(
  files: string[],
): Promise<Array<{ name: string; contentType: string; contentBase64: string }> | string> {
  const out: Array<{ name: string; contentType: string; contentBase64: string }> = [];
  let total = 0;
  for (const file of files) {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return `--attach ${file}: there is no such file.`;
    total += info.size;
    if (total > MAX_ATTACH_BYTES) {
      return `--attach ${file}: the sandbox takes at most ${Math.floor(MAX_ATTACH_BYTES / 1024)} KB of attachments in one mail. Attach a smaller file.`;
    }
    const bytes = await readFile(file);
    out.push({
      name: basename(file),
      contentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      contentBase64: bytes.toString('base64'),
    });
  }
  return out;
}

/** `sandbox:netsuite --fail-next`: asks the running sandbox's NetSuite emulator, on loopback, to refuse one save. */
async function netsuite(failNext: boolean, env: NodeJS.ProcessEnv): Promise<number> {
  if (!failNext) {
    console.error(`Say what the sandbox NetSuite should do.\n\n${USAGE}`);
    return 2;
  }
  const base = `http://127.0.0.1:${env.SANDBOX_NETSUITE_PORT ?? '3980'}`;
  const res = await call(base, '/_sandbox/fail-next-save', { method: 'POST' });
  if (!res.ok) {
    console.error(`The sandbox NetSuite refused: ${res.status}. Is it the sandbox of npm start on that port?`);
    return 1;
  }
  console.log('The sandbox NetSuite will refuse the next save, once. Click Save on a card: it shows the failure');
  console.log('and a Retry button; Retry then saves.');
  return 0;
}

const invokedDirectly = process.argv[1]?.replace(/\\/g, '/').endsWith('sandbox/cli.ts');
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
