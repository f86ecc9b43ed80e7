// Pages for people: the start page at / (what is running, the twin tree), the 3D world at /world, the
// KPI dashboard at /dashboard and the administration page at /admin, the last three from the Vite
// bundle built from web/ into dist/web
// (`npm run build`). The start page gets its strings in every locale and the one the request asks for
// (?lang=, else Accept-Language); its script may still follow the visitor's stored choice (docs/i18n.md).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALE_NAMES, LOCALE_STORAGE_KEY, requestLocale } from '../../core/i18n.js';
import { START_PAGE_MESSAGES } from './start-page-messages.js';
import type { RouteDeps } from '../route-deps.js';
import { signInGate } from '../people/people-routes.js';
import { contentSecurityPolicy, scriptNonce } from '../security-headers.js';

const START_PAGE = readFileSync(new URL('../public/index.html', import.meta.url), 'utf8');
/** The start page links it; the world page's bundle has it built in (web/src/style.css). */
const THEME = readFileSync(new URL('../public/theme.css', import.meta.url), 'utf8');

/**
 * dist/web from the repository root: this file is src/server/routes/pages.ts under tsx (tests) and
 * dist/server/routes/pages.js once built (npm start); both sit three folders below the root.
 * IMVERSE_WEB_DIR serves another build (a developer's test build beside the one `npm start` made).
 */
export const WEB_DIR = process.env.IMVERSE_WEB_DIR
  ? `${process.env.IMVERSE_WEB_DIR.replace(/\/+$/, '')}/`
  : fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Asset names Vite emits (hashed, no folders): anything else is refused before touching the disk. */
const ASSET_NAME = /^[\w.-]+$/;

const notBuilt = (
  page: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Imverse – ${page} not built</title></head>
<body style="font:15px/1.5 system-ui,sans-serif;background:#0f1720;color:#dce6ef;padding:40px">
<h1>The ${page} is not built yet</h1>
<p>This server has no <code>dist/web</code>. Run <code>npm run build</code> (or <code>npm start</code>, which builds
first), then reload this page.</p><p><a style="color:#4fb3ff" href="/">The start page</a> works meanwhile.</p>
</body></html>`;

/** A page of the bundle: `index.html` (the 3D world), `dashboard.html` or `admin.html`. */
async function sendBuiltPage(reply: FastifyReply, file: string, page: string): Promise<string> {
  reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
  try {
    // Read on each request: a rebuild while the server runs is picked up, and the file is small.
    return await readFile(`${WEB_DIR}${file}`, 'utf8');
  } catch {
    reply.code(503).header('retry-after', '60');
    return notBuilt(page);
  }
}

/** JSON safe inside an inline <script>: no `</script>` or `<!--` can end it early. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export async function pageRoutes(app: FastifyInstance, { demo, people }: RouteDeps): Promise<void> {
  const startPage = START_PAGE.replace('__IMVERSE_DEMO__', demo ? 'true' : 'false');
  const page = { config: { permission: 'public' as const }, schema: { hide: true } };
  // The pages themselves (not their styles and scripts) send a visitor who is not signed in to /signin.
  const personal = { ...page, onRequest: signInGate(people, demo) };
  app.get('/', personal, async (request, reply) => {
    const locale = requestLocale(
      (request.query as { lang?: unknown }).lang,
      request.headers['accept-language'],
    );
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('vary', 'accept-language')
      .header('content-language', locale);
    // Its one inline script runs by this response's nonce; the policy refuses any other inline script.
    const nonce = scriptNonce();
    reply.header('content-security-policy', contentSecurityPolicy(nonce));
    const i18n = {
      locale,
      storageKey: LOCALE_STORAGE_KEY,
      names: LOCALE_NAMES,
      messages: START_PAGE_MESSAGES,
    };
    return startPage
      .replace('__IMVERSE_I18N__', () => scriptJson(i18n))
      .replace('<html lang="en">', `<html lang="${locale}">`)
      .replace('<script type="module">', `<script type="module" nonce="${nonce}">`);
  });
  app.get('/theme.css', page, async (_request, reply) => {
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache');
    return THEME;
  });
  for (const path of ['/world', '/world/']) {
    app.get(path, personal, (_request, reply) => sendBuiltPage(reply, 'index.html', '3D world'));
  }
  // Its assets are the bundle's, under /world/assets/ like the world's (web/vite.config.ts).
  app.get('/dashboard', personal, (_request, reply) => sendBuiltPage(reply, 'dashboard.html', 'dashboard'));
  // Anyone signed in may open it: the page asks what the person may manage and says so (web/src/admin).
  app.get('/admin', personal, (_request, reply) => sendBuiltPage(reply, 'admin.html', 'administration page'));
  app.get<{ Params: { name: string } }>('/world/assets/:name', page, async (request, reply) => {
    const { name } = request.params;
    const type = CONTENT_TYPES[extname(name)];
    if (!ASSET_NAME.test(name) || name.startsWith('.') || !type) return reply.callNotFound();
    let body: Buffer;
    try {
      body = await readFile(`${WEB_DIR}assets/${name}`);
    } catch {
      return reply.callNotFound();
    }
    // Names carry a content hash: a new build has new names, so a year-long cache is safe.
    reply.type(type).header('cache-control', 'public, max-age=31536000, immutable');
    return body;
  });
}
