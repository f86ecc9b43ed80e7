// The languages the pages speak, for server and browser alike: which locale a visitor gets (from
// ?lang=, a stored choice, navigator.languages or Accept-Language), message lookup in a page bundle's
// catalogue, and numbers and dates written the locale's way. docs/i18n.md says how to add a string,
// a page or a locale.

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';
/** Each language in its own words, for the switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', 'zh-CN': '简体中文' };
/** Where a browser remembers the visitor's choice (localStorage), the same key on every page. */
export const LOCALE_STORAGE_KEY = 'imverse.lang';

/**
 * A page bundle's strings: English names the keys, and every other locale must have each of them
 * (a missing or extra key is a type error here, and test/i18n.test.ts compares the key sets).
 * `{name}` in a message is a parameter.
 */
export type Catalogue<K extends string = string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>;

export function defineCatalogue<const E extends Record<string, string>>(
  en: E,
  others: { readonly [L in Exclude<Locale, 'en'>]: Readonly<Record<keyof E, string>> },
): Catalogue<keyof E & string> {
  return { en, ...others };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported locale among language tags in order of preference (BCP 47, any case): an exact
 * match, else by language, so en-GB reads English and zh, zh-Hans or zh-TW read Simplified Chinese.
 */
export function negotiateLocale(preferred: ReadonlyArray<string | null | undefined>): Locale {
  for (const tag of preferred) {
    if (!tag) continue;
    const lower = tag.trim().toLowerCase();
    const exact = LOCALES.find((l) => l.toLowerCase() === lower);
    if (exact) return exact;
    const language = lower.split(/[-_]/)[0];
    const byLanguage = LOCALES.find((l) => l.toLowerCase().split('-')[0] === language);
    if (byLanguage) return byLanguage;
  }
  return DEFAULT_LOCALE;
}

/** An Accept-Language header's tags, most wanted first; `q=0` (not wanted) and `*` are left out. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  const weighted = header.split(',').flatMap((part, order) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    return tag && tag !== '*' && weight > 0 ? [{ tag: tag.trim(), weight, order }] : [];
  });
  return weighted.sort((a, b) => b.weight - a.weight || a.order - b.order).map((w) => w.tag);
}

/** The locale an HTTP request asks for: its `?lang=` first, then its Accept-Language header. */
export function requestLocale(lang: unknown, acceptLanguage: string | undefined): Locale {
  return negotiateLocale([
    typeof lang === 'string' ? lang : undefined,
    ...parseAcceptLanguage(acceptLanguage),
  ]);
}

export type MessageParams = Readonly<Record<string, string | number>>;
export type Translate<K extends string> = (key: K, params?: MessageParams) => string;

/** Looks keys up in one locale of a catalogue; numeric parameters are written the locale's way. */
export function translator<K extends string>(catalogue: Catalogue<K>, locale: Locale): Translate<K> {
  const messages = catalogue[locale];
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  return (key, params) => {
    const message = messages[key] ?? catalogue[DEFAULT_LOCALE][key] ?? key;
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? number.format(value) : value;
    });
  };
}

/** Keys some locale lacks or has beyond English, and messages whose `{parameters}` differ from English. */
export function catalogueProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const english = catalogue[DEFAULT_LOCALE];
  const params = (text: string): string =>
    [...text.matchAll(/\{(\w+)\}/g)]
      .map((m) => m[1])
      .sort()
      .join(',');
  for (const locale of LOCALES) {
    const messages = catalogue[locale];
    for (const key of Object.keys(english)) {
      const message = messages[key];
      if (message === undefined || message.trim() === '') problems.push(`${locale} has no "${key}"`);
      else if (params(message) !== params(english[key]!)) {
        problems.push(
          `${locale} "${key}" has parameters {${params(message)}}, English {${params(english[key]!)}}`,
        );
      }
    }
    for (const key of Object.keys(messages)) {
      if (!(key in english)) problems.push(`${locale} has "${key}", which English does not`);
    }
  }
  return problems;
}

/** Numbers, shares, times and dates written the locale's way. */
export interface LocaleFormat {
  readonly locale: Locale;
  number(value: number, maximumFractionDigits?: number): string;
  /** A share 0–1 as a percentage with `digits` decimals: "85.3%". */
  percent(value: number, digits?: number): string;
  time(at: number | Date): string;
  dateTime(at: number | Date): string;
}

export function localeFormat(locale: Locale): LocaleFormat {
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    locale,
    number: (value, maximumFractionDigits = 1) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value),
    percent: (value, digits = 1) =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(value),
    time: (at) => time.format(at),
    dateTime: (at) => dateTime.format(at),
  };
}
