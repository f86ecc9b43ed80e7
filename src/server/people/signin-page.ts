// The sign-in page: server-rendered, a plain form that works without JavaScript, in the start page's
// look (theme.css). It also serves as "who am I" with a sign-out button for a signed-in visitor.

const esc = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `main{max-width:380px;margin:48px auto;padding:24px;background:var(--panel);border:1px solid var(--line);border-radius:8px}
label{display:block;margin:12px 0 4px;color:var(--muted)}
input[type=text]{width:100%;padding:7px 9px;border-radius:6px;border:1px solid var(--line);background:#0b1118;color:var(--text)}
button{margin-top:16px;width:100%;padding:8px;border:0;border-radius:6px;background:var(--accent);color:#0b1118;font-weight:600;cursor:pointer}
.alt{margin-top:18px;text-align:center}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Imverse</title><link rel="stylesheet" href="/theme.css"><style>${STYLE}</style></head>
<body><header><h1>◆ Imverse</h1><span class="muted">industrial metaverse platform</span></header>
<main>${body}</main></body></html>`;
}

export interface SignInPage {
  /** Where to go after signing in: a path on this server. */
  readonly next: string;
  readonly error?: string;
  readonly name?: string;
  /** Offer "Sign in with …" (OpenID Connect is configured). */
  readonly oidc: boolean;
}

export function signInPage({ next, error, name, oidc }: SignInPage): string {
  const nextField = `<input type="hidden" name="next" value="${esc(next)}">`;
  return layout(
    'Sign in',
    `<h2>Sign in</h2>
${error === undefined ? '' : `<p class="error" role="alert">${esc(error)}</p>`}
<form method="post" action="/signin">
${nextField}
<label for="name">Name</label><input id="name" type="text" name="name" autocomplete="username" required autofocus value="${esc(name ?? '')}">
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
${oidc ? `<p class="alt"><a href="/signin/oidc?next=${encodeURIComponent(next)}">Sign in with your organisation's account</a></p>` : ''}`,
  );
}

export function signedInPage(
  user: { name: string; displayName: string; role: string },
  csrf: string,
  next: string,
): string {
  return layout(
    'Signed in',
    `<h2>Signed in</h2>
<p>You are signed in as <b>${esc(user.displayName)}</b> (${esc(user.name)}, ${esc(user.role)}).</p>
<p><a href="${esc(next)}">Continue</a></p>
<form method="post" action="/signout"><input type="hidden" name="_csrf" value="${esc(csrf)}">
<button type="submit">Sign out</button></form>`,
  );
}

/** A refusal shown to a browser (OpenID Connect errors arrive as redirects, not as API calls). */
export function problemPage(title: string, detail: string, code: string): string {
  return layout(
    title,
    `<h2>${esc(title)}</h2><p>${esc(detail)}</p><p class="muted">${esc(code)}</p><p class="alt"><a href="/signin">Back to sign-in</a></p>`,
  );
}

/** Only a path on this server: `//evil.example` or `https://…` would make sign-in an open redirect. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !/[\r\n]/.test(value) ? value : '/';
}
