// A page's language in the browser: chosen from ?lang=, then the visitor's stored choice, then
// navigator.languages; set on <html lang>, applied to the page's static text (data-i18n attributes)
// and switchable from a select in the header. The start page does the same in its inline script.
import * as i18n from './core.js';

/** The locale this page speaks. */
export function pageLocale(): i18n.Locale {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(i18n.LOCALE_STORAGE_KEY);
  } catch {
    // Storage may be off (private mode, policy): the browser's languages decide.
  }
  const asked = new URLSearchParams(location.search).get('lang');
  return i18n.negotiateLocale([asked, stored, ...navigator.languages, navigator.language]);
}

/**
 * What every page does with its catalogue: picks the locale, marks <html lang>, fills the elements
 * marked data-i18n (text), data-i18n-placeholder, data-i18n-title and data-i18n-aria-label, and puts
 * the language switcher into the header. Returns the lookup and the formats for the page's code.
 */
export function localisePage<K extends string>(
  catalogue: i18n.Catalogue<K | 'language'>,
): { locale: i18n.Locale; t: i18n.Translate<K | 'language'>; format: i18n.LocaleFormat } {
  const locale = pageLocale();
  const t = i18n.translator(catalogue, locale);
  document.documentElement.lang = locale;
  localiseElements(document, t);
  installSwitcher(locale, t('language'));
  return { locale, t, format: i18n.localeFormat(locale) };
}

/** Text of marked elements under `root` in the page's language (marked static HTML only). */
export function localiseElements<K extends string>(root: ParentNode, t: i18n.Translate<K>): void {
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n as K);
  }
  for (const [attribute, key] of [
    ['placeholder', 'i18nPlaceholder'],
    ['title', 'i18nTitle'],
    ['aria-label', 'i18nAriaLabel'],
  ] as const) {
    for (const node of root.querySelectorAll<HTMLElement>(`[data-i18n-${attribute}]`)) {
      node.setAttribute(attribute, t(node.dataset[key] as K));
    }
  }
}

/** A select at the end of the header; a choice is remembered and the page reloads in that language. */
function installSwitcher(current: i18n.Locale, label: string): void {
  const header = document.querySelector('header');
  if (!header || header.querySelector('select.lang')) return;
  const select = document.createElement('select');
  select.className = 'lang';
  select.setAttribute('aria-label', label);
  select.title = label;
  for (const locale of i18n.LOCALES) {
    const option = document.createElement('option');
    option.value = locale;
    option.lang = locale;
    option.textContent = i18n.LOCALE_NAMES[locale];
    option.selected = locale === current;
    select.append(option);
  }
  select.addEventListener('change', () => {
    try {
      localStorage.setItem(i18n.LOCALE_STORAGE_KEY, select.value);
    } catch {
      // Not remembered: the address below still carries the choice.
    }
    const url = new URL(location.href);
    url.searchParams.set('lang', select.value);
    location.replace(url);
  });
  header.append(select);
}
