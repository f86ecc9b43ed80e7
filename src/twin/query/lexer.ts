// Splits query text into tokens, each with its offset, for the parser and its error messages.
import { ValidationError } from '../../core/errors.js';

export type TokenKind = 'ident' | 'quoted-ident' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, string contents, punctuation or operator text. */
  readonly text: string;
  readonly number?: number;
  readonly offset: number;
}

const PUNCT = ['!=', '<>', '<=', '>=', '=', '<', '>', '*', '(', ')', '[', ']', ',', '.', '-'];
const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$]/;
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '/': '/',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** "line 2, column 7" for an offset, counting from 1. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return `line ${line}, column ${offset - start + 1}`;
}

export function syntaxError(text: string, offset: number, message: string): ValidationError {
  return new ValidationError(
    'IMV_QUERY_SYNTAX',
    `Query syntax error at ${lineColumn(text, offset)}: ${message}`,
    {
      path: `@${offset}`,
    },
  );
}

/** How a token reads in an error message. */
export function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the query';
    case 'string':
      return `the string '${token.text}'`;
    case 'quoted-ident':
      return `[[${token.text}]]`;
    default:
      return `'${token.text}'`;
  }
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (IDENT_START.test(c)) {
      while (i < text.length && IDENT_PART.test(text[i]!)) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), offset: start });
      continue;
    }
    if (c === '[' && text[i + 1] === '[') {
      // [[name]] escapes a reserved word or an unusual property name.
      const end = text.indexOf(']]', i + 2);
      if (end < 0) throw syntaxError(text, start, 'expected ]] to close the escaped name');
      const name = text.slice(i + 2, end);
      if (name === '') throw syntaxError(text, start, 'expected a name between [[ and ]]');
      tokens.push({ kind: 'quoted-ident', text: name, offset: start });
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw syntaxError(text, start, `expected ${c} to close the string`);
        const d = text[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const e = text[i + 1];
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const escaped = e === undefined ? undefined : ESCAPES[e];
          if (escaped === undefined)
            throw syntaxError(text, i, 'expected an escape such as \\\' \\" \\\\ \\n or \\uXXXX');
          value += escaped;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', text: value, offset: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      const raw = match[0];
      const value = Number(raw);
      if (!Number.isFinite(value)) throw syntaxError(text, start, `the number ${raw} is out of range`);
      i += raw.length;
      if (i < text.length && IDENT_START.test(text[i]!))
        throw syntaxError(text, i, `expected a space or operator after the number ${raw}`);
      tokens.push({ kind: 'number', text: raw, number: value, offset: start });
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct === undefined) throw syntaxError(text, start, `unexpected character '${c}'`);
    tokens.push({ kind: 'punct', text: punct === '<>' ? '!=' : punct, offset: start });
    i += punct.length;
  }
  tokens.push({ kind: 'eof', text: '', offset: text.length });
  return tokens;
}
