// The browser's way into the shared i18n module (src/core/i18n.ts): the server negotiates locales and
// checks catalogues with the same code.
export * from '../../../src/core/i18n.js';
