import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { MailroomError } from '../core/errors.js';
import { sendError } from './respond.js';

/** The file types the built tab holds (Vite's output: HTML, scripts, styles, fonts, images, source maps). */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Answers GET for one file under `dir` (a folder answers its index.html). `rel` is the URL path below the mount,
 * still percent-encoded; anything resolving outside `dir` (`..`, an encoded slash) is a 404, as is a missing file.
 */
export async function serveStatic(dir: string, rel: string, res: ServerResponse): Promise<void> {
  const notFound = () => sendError(res, new MailroomError('not_found', `/tab/${rel} does not exist.`));
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return notFound();
  }
  const root = resolve(dir);
  let file = resolve(root, `.${sep}${decoded}`);
  if (decoded.includes('\0') || (file !== root && !file.startsWith(root + sep))) return notFound();
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return notFound();
  res.statusCode = 200;
  res.setHeader('content-type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('content-length', info.size);
  res.setHeader('last-modified', info.mtime.toUTCString());
  res.setHeader('cache-control', 'no-cache');
  await new Promise<void>((done, fail) => {
    const stream = createReadStream(file);
    stream.once('error', fail);
    res.once('finish', () => done());
    res.once('close', () => done());
    stream.pipe(res);
  });
}
