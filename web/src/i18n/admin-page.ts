// The administration page's language, picked once when the page loads: every module of the page reads it here.
import { ADMIN_MESSAGES } from './admin.js';
import { localisePage } from './page.js';

export const { locale, t, format } = localisePage(ADMIN_MESSAGES);
